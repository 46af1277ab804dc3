// yaml-language-server with its fixed 200 ms validation delay (yamlSettings.validationDelayMs, not a setting) set
// to 0, so that bench/spec.mjs compares the work of both servers rather than their debounce timers.
const settings = require('yaml-language-server/out/server/src/yamlSettings.js');
const Base = settings.SettingsState;
settings.SettingsState = class extends Base {
  constructor() {
    super();
    this.validationDelayMs = 0;
  }
};
process.env.YAML_LANGUAGE_SERVER_VERSION = require('yaml-language-server/package.json').version;
require('yaml-language-server/out/server/src/server.js');
