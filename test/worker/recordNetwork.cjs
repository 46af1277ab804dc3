/*
 * Preload (`node --require recordNetwork.cjs`, here through NODE_OPTIONS so that the forked worker gets it):
 * records every attempt to reach the network through net, tls, http, https, http2, dns, dgram and fetch, and
 * refuses it, appending one JSON line per attempt to the file named by XAI_NET_LOG. The first line says the
 * preload is active in this process. Test-only; never bundled.
 */
'use strict';
const fs = require('node:fs');

const logFile = process.env.XAI_NET_LOG;
const record = (entry) => { if (logFile) fs.appendFileSync(logFile, `${JSON.stringify({ pid: process.pid, ...entry })}\n`); };
record({ loaded: true, argv: process.argv.slice(1, 2) });

function guard(moduleName, object, names) {
  for (const name of names) {
    const original = object[name];
    if (typeof original !== 'function') continue;
    object[name] = function refusedNetworkCall(...args) {
      record({ api: `${moduleName}.${name}`, args: args.filter((a) => typeof a !== 'function').map((a) => { try { return JSON.stringify(a)?.slice(0, 200); } catch { return String(a); } }) });
      throw new Error(`network access refused in this process (${moduleName}.${name})`);
    };
  }
}

const net = require('node:net');
guard('net', net, ['connect', 'createConnection']);
guard('net.Socket.prototype', net.Socket.prototype, ['connect']);
guard('tls', require('node:tls'), ['connect']);
guard('http', require('node:http'), ['request', 'get']);
guard('https', require('node:https'), ['request', 'get']);
guard('http2', require('node:http2'), ['connect']);
guard('dgram', require('node:dgram'), ['createSocket']);
const dns = require('node:dns');
const lookups = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveTxt', 'resolveSrv', 'reverse'];
guard('dns', dns, lookups);
guard('dns.promises', dns.promises, lookups);
guard('globalThis', globalThis, ['fetch']);
if (typeof globalThis.WebSocket === 'function') guard('globalThis', globalThis, ['WebSocket']);
