/**
 * The MLP trainer's optimizers, on one flat parameter vector θ: the update rules of tfjs's `tf.train.sgd`,
 * `momentum`, `rmsprop` and `adam` with their defaults, in fewer kernels and with their constants made once.
 * tfjs's own optimizers turn every number in their formulas into a new scalar tensor each step (about ten uploads
 * per Adam step) and spend 16 kernels on Adam; at 40 steps per epoch of a small network that was a tenth of the epoch.
 * test/unit/models/flatOptimizers.test.ts checks each rule against tfjs's optimizer, step by step.
 */
import * as tf from '@tensorflow/tfjs-core';

export type OptimizerName = 'sgd' | 'adam' | 'rmsprop';

/** An optimizer of θ [n_parameters]; `learningRate` may change between steps (a schedule). */
export interface FlatOptimizer {
  learningRate: number;
  /** θ ← θ − update(g); g [n_parameters] is the loss gradient at θ. */
  step(theta: tf.Variable, gradient: tf.Tensor1D): void;
  /** Frees the optimizer's state (moments) and constants. */
  dispose(): void;
}

/** tfjs's default ε for float32 backends (`backend.epsilon()`), used by its Adam and RMSprop. */
const EPSILON = 1e-7;

/** Its state: a zero vector like θ, made at the first step, kept across tidy scopes. */
class Slot {
  value?: tf.Variable;
  get(like: tf.Tensor): tf.Variable {
    this.value ??= tf.variable(tf.zerosLike(like), false);
    return this.value;
  }
  dispose(): void { this.value?.dispose(); }
}

/** Scalars made once (not per step): tfjs would upload each number of a formula as a new tensor every time. */
class Constants {
  private readonly made = new Map<number, tf.Scalar>();
  of(value: number): tf.Scalar {
    const s = this.made.get(value) ?? tf.keep(tf.scalar(value));
    this.made.set(value, s);
    return s;
  }
  dispose(): void { this.made.forEach((s) => s.dispose()); this.made.clear(); }
}

/** The learning rate as a scalar tensor, made again only when the rate changes (a schedule changes it per epoch). */
class Rate {
  private value?: number;
  private scalar?: tf.Scalar;
  of(value: number): tf.Scalar {
    if (value !== this.value || !this.scalar) {
      this.scalar?.dispose();
      this.scalar = tf.keep(tf.scalar(value));
      this.value = value;
    }
    return this.scalar;
  }
  dispose(): void { this.scalar?.dispose(); this.scalar = undefined; }
}

/** Plain gradient descent: θ ← θ − η·g. */
class Sgd implements FlatOptimizer {
  private readonly rate = new Rate();
  constructor(public learningRate: number) {}
  step(theta: tf.Variable, g: tf.Tensor1D): void {
    tf.tidy(() => theta.assign(tf.sub(theta, tf.mul(g, this.rate.of(this.learningRate)))));
  }
  dispose(): void { this.rate.dispose(); }
}

/** Heavy-ball momentum (Polyak 1964), as tf.train.momentum without Nesterov: a ← μ·a + g; θ ← θ − η·a. */
class Momentum implements FlatOptimizer {
  private readonly accumulation = new Slot();
  private readonly constants = new Constants();
  private readonly rate = new Rate();
  constructor(public learningRate: number, private readonly momentum: number) {}
  step(theta: tf.Variable, g: tf.Tensor1D): void {
    tf.tidy(() => {
      const a = this.accumulation.get(theta);
      const next = tf.add(tf.mul(a, this.constants.of(this.momentum)), g);
      a.assign(next);
      theta.assign(tf.sub(theta, tf.mul(next, this.rate.of(this.learningRate))));
    });
  }
  dispose(): void { this.accumulation.dispose(); this.constants.dispose(); this.rate.dispose(); }
}

/** RMSprop (Tieleman & Hinton 2012) as tf.train.rmsprop(η): s ← s + (1 − ρ)(g² − s); θ ← θ − η·g / √(s + ε), ρ = 0.9. */
class RmsProp implements FlatOptimizer {
  private readonly meanSquare = new Slot();
  private readonly constants = new Constants();
  private readonly rate = new Rate();
  constructor(public learningRate: number, private readonly rho = 0.9) {}
  step(theta: tf.Variable, g: tf.Tensor1D): void {
    tf.tidy(() => {
      const s = this.meanSquare.get(theta);
      const next = tf.add(s, tf.mul(tf.sub(tf.square(g), s), this.constants.of(1 - this.rho)));
      s.assign(next);
      const step = tf.div(tf.mul(g, this.rate.of(this.learningRate)), tf.sqrt(tf.add(next, this.constants.of(EPSILON))));
      theta.assign(tf.sub(theta, step));
    });
  }
  dispose(): void { this.meanSquare.dispose(); this.constants.dispose(); this.rate.dispose(); }
}

/**
 * Adam (Kingma & Ba 2015, Algorithm 1) as tf.train.adam(η): β1 0.9, β2 0.999, ε 1e-7. Written as the paper's
 * "more efficient" form: θ ← θ − αₜ·m / (√v + ε̂ₜ) with αₜ = η·√(1 − β2ᵗ) / (1 − β1ᵗ) and ε̂ₜ = ε·√(1 − β2ᵗ), which is
 * θ ← θ − η·m̂ / (√v̂ + ε) exactly; the moments as m ← m + (1 − β1)(g − m), v ← v + (1 − β2)(g² − v).
 */
class Adam implements FlatOptimizer {
  private readonly m = new Slot();
  private readonly v = new Slot();
  private readonly constants = new Constants();
  private t = 0;
  constructor(public learningRate: number, private readonly beta1 = 0.9, private readonly beta2 = 0.999) {}
  step(theta: tf.Variable, g: tf.Tensor1D): void {
    this.t++;
    const correction2 = Math.sqrt(1 - this.beta2 ** this.t);
    const alpha = (this.learningRate * correction2) / (1 - this.beta1 ** this.t);
    tf.tidy(() => {
      const m = this.m.get(theta);
      const v = this.v.get(theta);
      const mNext = tf.add(m, tf.mul(tf.sub(g, m), this.constants.of(1 - this.beta1)));
      const vNext = tf.add(v, tf.mul(tf.sub(tf.square(g), v), this.constants.of(1 - this.beta2)));
      m.assign(mNext);
      v.assign(vNext);
      theta.assign(tf.sub(theta, tf.mul(tf.div(mNext, tf.add(tf.sqrt(vNext), EPSILON * correction2)), alpha)));
    });
  }
  dispose(): void { this.m.dispose(); this.v.dispose(); this.constants.dispose(); }
}

/**
 * The optimizer a spec names, at learning rate η: sgd (heavy-ball momentum when `momentum` > 0), adam or rmsprop.
 * @throws Error for a learning rate that is not a positive number or a momentum outside [0, 1).
 */
export function flatOptimizer(name: OptimizerName, learningRate: number, momentum = 0): FlatOptimizer {
  if (!(learningRate > 0)) throw new Error(`optimizer: the learning rate must be > 0, not ${learningRate}`);
  if (!(momentum >= 0 && momentum < 1)) throw new Error(`optimizer: momentum must be in [0, 1), not ${momentum}`);
  switch (name) {
    case 'adam': return new Adam(learningRate);
    case 'rmsprop': return new RmsProp(learningRate);
    case 'sgd': return momentum > 0 ? new Momentum(learningRate, momentum) : new Sgd(learningRate);
  }
}
