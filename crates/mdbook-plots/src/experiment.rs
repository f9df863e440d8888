//! The experiments behind the plots: real runs of zigio writers, recorded by
//! its [`Instrumented`] decorator.
//!
//! Nothing here is simulated: every point of a plot is the
//! `buffered().len()` that [`Writer::observe`] recorded after one real
//! operation, and every drain mark is a [`DrainCall`] that the sink saw.

use zigio::{Buffer, Discarding, DrainCall, Instrumented, Sink, WriteFailed, Writer, count_splat};

/// Parameters of the occupancy experiment: `writes` calls of `write_all`,
/// of sizes drawn uniformly from `1..=max_write` by a seeded generator, into
/// a writer with a `buffer`-byte buffer, once over a sink that takes
/// everything it is offered and once over a sink that takes at most
/// `throttle` bytes per drain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occupancy {
    /// Buffer capacity in bytes (at least 1).
    pub buffer: usize,
    /// Number of writes, one plotted point each (at least 1).
    pub writes: usize,
    /// Seed of the size generator ([`SplitMix64`]).
    pub seed: u64,
    /// Largest write size (at least 1).
    pub max_write: usize,
    /// Most bytes the slow sink accepts per drain (at least 1).
    pub throttle: usize,
}

impl Default for Occupancy {
    /// A 64-byte buffer, 200 writes of 1 to 48 bytes (seed 42), and a slow
    /// sink that takes 16 bytes per drain.
    fn default() -> Self {
        Occupancy {
            buffer: 64,
            writes: 200,
            seed: 42,
            max_write: 48,
            throttle: 16,
        }
    }
}

/// The generator of the write sizes: [`zigio::random::SplitMix64`], the
/// port of Zig's `std.Random.SplitMix64` that the book's programs use, whose
/// output is fully determined by its seed, so a plot is the same on every
/// build and the same as the program's beside it.
#[derive(Debug, Clone)]
pub struct SplitMix64(zigio::random::SplitMix64);

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(zigio::random::SplitMix64::init(seed))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0.next()
    }

    /// A value in `1..=max` (`max >= 1`), by modulo: the tiny bias does not
    /// matter for a plot, and the rule is easy to reproduce in a snippet.
    pub fn size(&mut self, max: usize) -> usize {
        1 + (self.next_u64() % max as u64) as usize
    }
}

/// A sink that accepts at most `max_per_drain` bytes per drain, buffered
/// bytes first, and drops them: a slow consumer. The writer's loops
/// (`write_all`, `flush`) call it again until everything is through.
#[derive(Debug, Clone, Copy)]
pub struct Throttled {
    /// Most bytes taken per drain call (at least 1, or nothing ever moves).
    pub max_per_drain: usize,
    /// Bytes taken so far.
    pub count: u64,
}

impl Sink for Throttled {
    fn drain(
        &mut self, buf: &mut Buffer<'_>, data: &[&[u8]], splat: usize,
    ) -> Result<usize, WriteFailed> {
        let offered = buf.end().saturating_add(count_splat(data, splat));
        let n = offered.min(self.max_per_drain);
        self.count += n as u64;
        // `consume` shifts what is left of the buffer to the front and
        // reports how many of the taken bytes came from `data`.
        Ok(buf.consume(n))
    }
}

/// One recorded run of the experiment over one sink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// What the sink does, for the legend.
    pub label: String,
    /// `(operation index, buffered bytes after it)`, one per write.
    pub occupancy: Vec<(usize, usize)>,
    /// Every drain call, in order, tagged with the operation that caused it.
    pub drains: Vec<DrainCall>,
    /// Bytes the sink received, including the final flush.
    pub delivered: u64,
}

impl Series {
    /// The operations that caused at least one drain, each with the
    /// occupancy its first drain found on entry: where the plot marks a
    /// drain.
    pub fn drain_points(&self) -> Vec<(usize, usize)> {
        let mut points: Vec<(usize, usize)> = Vec::new();
        for d in &self.drains {
            if points.last().is_none_or(|&(op, _)| op != d.op) {
                points.push((d.op, d.buffered));
            }
        }
        points
    }

    /// Mean occupancy over the operations, in bytes.
    pub fn mean_occupancy(&self) -> f64 {
        if self.occupancy.is_empty() {
            return 0.0;
        }
        let total: usize = self.occupancy.iter().map(|&(_, b)| b).sum();
        total as f64 / self.occupancy.len() as f64
    }
}

/// Both recorded runs of an [`Occupancy`] experiment.
#[derive(Debug, Clone, PartialEq)]
pub struct OccupancyRun {
    /// The parameters.
    pub config: Occupancy,
    /// The write sizes, in order.
    pub sizes: Vec<usize>,
    /// Over a sink that takes everything ([`Discarding`]).
    pub eager: Series,
    /// Over a sink that takes `throttle` bytes per drain ([`Throttled`]).
    pub throttled: Series,
}

impl OccupancyRun {
    /// Total bytes written.
    pub fn total_bytes(&self) -> u64 {
        self.sizes.iter().map(|&s| s as u64).sum()
    }
}

/// Why an experiment could not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExperimentError(pub String);

impl std::fmt::Display for ExperimentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ExperimentError {}

/// Runs the occupancy experiment over both sinks.
///
/// # Errors
/// If a parameter is 0, or if a sink fails (neither of these sinks fails;
/// the error would mean zigio broke its contract).
pub fn run_occupancy(config: Occupancy) -> Result<OccupancyRun, ExperimentError> {
    for (name, value) in [
        ("buffer", config.buffer),
        ("writes", config.writes),
        ("max-write", config.max_write),
        ("throttle", config.throttle),
    ] {
        if value == 0 {
            return Err(ExperimentError(format!("`{name}` must be at least 1")));
        }
    }
    let mut rng = SplitMix64::new(config.seed);
    let sizes: Vec<usize> = (0..config.writes)
        .map(|_| rng.size(config.max_write))
        .collect();

    let eager = record(
        "sink takes everything (Discarding)".to_string(),
        config.buffer,
        &sizes,
        Discarding::default(),
        |s| s.count,
    )?;
    let throttled = record(
        format!("sink takes {} B per drain", config.throttle),
        config.buffer,
        &sizes,
        Throttled {
            max_per_drain: config.throttle,
            count: 0,
        },
        |s| s.count,
    )?;
    Ok(OccupancyRun {
        config,
        sizes,
        eager,
        throttled,
    })
}

/// Writes `sizes` through an instrumented writer over `sink`, observing
/// each write, then flushes (unobserved) so that `delivered` can be checked
/// against the input.
fn record<S: Sink>(
    label: String, buffer: usize, sizes: &[usize], sink: S, count: impl Fn(&S) -> u64,
) -> Result<Series, ExperimentError> {
    let mut storage = vec![0u8; buffer];
    let mut w = Writer::new(&mut storage[..], Instrumented::new(sink));
    let payload = vec![b'x'; sizes.iter().copied().max().unwrap_or(0)];
    for (i, &size) in sizes.iter().enumerate() {
        w.observe(|w| w.write_all(&payload[..size]))
            .map_err(|_| ExperimentError(format!("write {i} of {size} bytes failed")))?;
    }
    w.flush()
        .map_err(|_| ExperimentError("the final flush failed".to_string()))?;
    let trace = &w.sink.trace;
    Ok(Series {
        label,
        occupancy: trace.occupancy(),
        drains: trace.drains().cloned().collect(),
        delivered: count(&w.sink.inner),
    })
}
