import Kernels

/// The sampler's seeded generator: SplitMix64, so `--seed` reproduces a sampled answer on any machine.
public typealias RandomSource = SplitMix64
