/**
 * The MLP trainer's optimizers, on one flat parameter vector θ: tfjs's `tf.train.sgd`, `momentum`, `rmsprop` and
 * `adam` with their defaults, computed by the same kernels in the same order, so each step gives tfjs's values to the
 * bit on the same backend. What differs is the overhead: tfjs's optimizers turn every number in their formulas into a
 * new scalar tensor at each step (about ten uploads per Adam step); here the fixed ones are made once (the learning
 * rate when it changes; Adam still uploads its two bias corrections per step), and θ is one variable instead of one
 * per layer. test/unit/models/flatOptimizers.test.ts checks each rule against tfjs's optimizer, step by step.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingSpec } from '../spec/types';

/** The optimizers a spec can name. */
export type OptimizerName = TrainingSpec['optimizer'];

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

/** Plain gradient descent, as tf.train.sgd(η): θ ← θ + (−η)·g. */
class Sgd implements FlatOptimizer {
  private readonly negativeRate = new Rate();
  constructor(public learningRate: number) {}
  step(theta: tf.Variable, g: tf.Tensor1D): void {
    tf.tidy(() => theta.assign(tf.add(tf.mul(this.negativeRate.of(-this.learningRate), g), theta)));
  }
  dispose(): void { this.negativeRate.dispose(); }
}

/** Heavy-ball momentum (Polyak 1964), as tf.train.momentum(η, μ) without Nesterov: a ← μ·a + g; θ ← θ + (−η)·a. */
class Momentum implements FlatOptimizer {
  private readonly accumulation = new Slot();
  private readonly constants = new Constants();
  private readonly negativeRate = new Rate();
  constructor(public learningRate: number, private readonly momentum: number) {}
  step(theta: tf.Variable, g: tf.Tensor1D): void {
    tf.tidy(() => {
      const a = this.accumulation.get(theta);
      const next = tf.add(tf.mul(this.constants.of(this.momentum), a), g);
      a.assign(next);
      theta.assign(tf.add(tf.mul(this.negativeRate.of(-this.learningRate), next), theta));
    });
  }
  dispose(): void { this.accumulation.dispose(); this.constants.dispose(); this.negativeRate.dispose(); }
}

/**
 * RMSprop (Tieleman & Hinton 2012) as tf.train.rmsprop(η): ρ = 0.9, no momentum, not centred.
 * s ← ρ·s + (1 − ρ)·g²; θ ← θ − η·g / √(s + ε).
 */
class RmsProp implements FlatOptimizer {
  private readonly meanSquare = new Slot();
  private readonly constants = new Constants();
  private readonly rate = new Rate();
  constructor(public learningRate: number, private readonly rho = 0.9) {}
  step(theta: tf.Variable, g: tf.Tensor1D): void {
    tf.tidy(() => {
      const s = this.meanSquare.get(theta);
      const next = tf.add(tf.mul(s, this.constants.of(this.rho)), tf.mul(tf.square(g), this.constants.of(1 - this.rho)));
      s.assign(next);
      // tfjs adds its momentum term μ·moments first; with μ = 0 that adds an exact 0.
      theta.assign(tf.sub(theta, tf.div(tf.mul(g, this.rate.of(this.learningRate)), tf.sqrt(tf.add(next, this.constants.of(EPSILON))))));
    });
  }
  dispose(): void { this.meanSquare.dispose(); this.constants.dispose(); this.rate.dispose(); }
}

/**
 * Adam (Kingma & Ba 2015, Algorithm 1) as tf.train.adam(η): β1 0.9, β2 0.999, ε 1e-7.
 * m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²; θ ← θ + (−η)·(m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + ε).
 * β1ᵗ and β2ᵗ are float32 running products, as tfjs keeps them (Math.fround: the product of two float32 numbers is
 * exact in a double, so rounding it once is float32 multiplication).
 */
class Adam implements FlatOptimizer {
  private readonly m = new Slot();
  private readonly v = new Slot();
  private readonly constants = new Constants();
  private readonly negativeRate = new Rate();
  private beta1Power: number;
  private beta2Power: number;
  constructor(public learningRate: number, private readonly beta1 = 0.9, private readonly beta2 = 0.999) {
    this.beta1Power = Math.fround(beta1);
    this.beta2Power = Math.fround(beta2);
  }
  step(theta: tf.Variable, g: tf.Tensor1D): void {
    tf.tidy(() => {
      const m = this.m.get(theta);
      const v = this.v.get(theta);
      const c = (value: number): tf.Scalar => this.constants.of(value);
      const mNext = tf.add(tf.mul(m, c(this.beta1)), tf.mul(g, c(1 - this.beta1)));
      const vNext = tf.add(tf.mul(v, c(this.beta2)), tf.mul(tf.square(g), c(1 - this.beta2)));
      const mHat = tf.div(mNext, tf.scalar(Math.fround(1 - this.beta1Power)));
      const vHat = tf.div(vNext, tf.scalar(Math.fround(1 - this.beta2Power)));
      m.assign(mNext);
      v.assign(vNext);
      theta.assign(tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), c(EPSILON))), this.negativeRate.of(-this.learningRate)), theta));
    });
    this.beta1Power = Math.fround(this.beta1Power * Math.fround(this.beta1));
    this.beta2Power = Math.fround(this.beta2Power * Math.fround(this.beta2));
  }
  dispose(): void { this.m.dispose(); this.v.dispose(); this.constants.dispose(); this.negativeRate.dispose(); }
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
