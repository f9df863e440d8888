//! The plots are drawn from the recorded runs, and the runs are what zigio
//! really does.

use mdbook_plots::experiment::{Occupancy, SplitMix64, run_occupancy};
use mdbook_plots::plot::occupancy_svg;
use mdbook_plots::process_chapter;
use std::path::Path;

/// The `points` of every `<polyline>` in `svg`, as pixel coordinates.
fn polylines(svg: &str) -> Vec<Vec<(f64, f64)>> {
    svg.split("<polyline")
        .skip(1)
        .map(|tail| {
            let start = tail.find("points=\"").expect("polyline has points") + "points=\"".len();
            let end = start + tail[start..].find('"').expect("closing quote");
            tail[start..end]
                .split_whitespace()
                .map(|pair| {
                    let (x, y) = pair.split_once(',').expect("x,y");
                    (x.parse().expect("x"), y.parse().expect("y"))
                })
                .collect()
        })
        .collect()
}

/// Asserts that `pixels` is `values` drawn on a linear y axis: same value,
/// same height; a larger value, higher up (smaller y); x strictly
/// increasing.
fn assert_drawn_from(pixels: &[(f64, f64)], values: &[(usize, usize)]) {
    assert_eq!(pixels.len(), values.len(), "one point per operation");
    for (i, (a, va)) in pixels.iter().zip(values).enumerate() {
        assert_eq!(va.0, i, "operations are numbered in order");
        if i > 0 {
            assert!(a.0 > pixels[i - 1].0, "x increases at point {i}");
        }
        for (b, vb) in pixels.iter().zip(values) {
            match va.1.cmp(&vb.1) {
                std::cmp::Ordering::Equal => assert_eq!(a.1, b.1),
                std::cmp::Ordering::Less => assert!(a.1 > b.1),
                std::cmp::Ordering::Greater => assert!(a.1 < b.1),
            }
        }
    }
}

#[test]
fn the_svg_draws_each_recorded_series_with_one_point_per_operation() {
    let run = run_occupancy(Occupancy::default()).unwrap();
    let svg = occupancy_svg(&run).unwrap();
    let lines = polylines(&svg);
    let per_op: Vec<&Vec<(f64, f64)>> = lines.iter().filter(|l| l.len() == 200).collect();
    assert_eq!(
        per_op.len(),
        2,
        "two series of 200 points: {:?}",
        lines.len()
    );
    assert_drawn_from(per_op[0], &run.eager.occupancy);
    assert_drawn_from(per_op[1], &run.throttled.occupancy);
    // One dot per operation that drained, per series.
    let dots = svg.matches("<circle").count();
    assert_eq!(
        dots,
        run.eager.drain_points().len() + run.throttled.drain_points().len()
    );
    // The legend's numbers are the trace's.
    assert!(svg.contains(&format!("{} drains", run.eager.drains.len())));
    assert!(svg.contains(&format!("{} drains", run.throttled.drains.len())));
}

#[test]
fn a_different_run_draws_a_different_curve() {
    let a = occupancy_svg(&run_occupancy(Occupancy::default()).unwrap()).unwrap();
    let b = occupancy_svg(
        &run_occupancy(Occupancy {
            seed: 7,
            ..Occupancy::default()
        })
        .unwrap(),
    )
    .unwrap();
    let series = |svg: &str| -> Vec<Vec<(f64, f64)>> {
        polylines(svg)
            .into_iter()
            .filter(|l| l.len() == 200)
            .collect()
    };
    assert_eq!(series(&b).len(), 2);
    assert_ne!(series(&a), series(&b));
}

/// The eager series against a model computed without zigio: a write that
/// fits is buffered; one that does not goes out, with everything buffered,
/// in one drain (the sink takes it all).
#[test]
fn the_eager_run_matches_the_drain_rule() {
    let config = Occupancy::default();
    let run = run_occupancy(config).unwrap();
    let mut rng = SplitMix64::new(config.seed);
    let mut end = 0;
    let mut drains = Vec::new();
    for (op, &size) in run.sizes.iter().enumerate() {
        assert_eq!(size, rng.size(config.max_write));
        if end + size <= config.buffer {
            end += size;
        } else {
            drains.push((op, end));
            end = 0;
        }
        assert_eq!(run.eager.occupancy[op], (op, end));
    }
    assert_eq!(run.eager.drain_points(), drains);
    assert_eq!(run.eager.drains.len(), drains.len());
}

#[test]
fn every_byte_reaches_each_sink_and_the_slow_one_takes_its_quota() {
    let config = Occupancy {
        buffer: 40,
        writes: 300,
        seed: 99,
        max_write: 70,
        throttle: 9,
    };
    let run = run_occupancy(config).unwrap();
    let total = run.total_bytes();
    assert_eq!(run.eager.delivered, total);
    assert_eq!(run.throttled.delivered, total);
    for d in &run.throttled.drains {
        assert!(d.accepted() <= 9, "{d}");
        assert_eq!(d.accepted(), d.offered().min(9), "{d}");
    }
    for series in [&run.eager, &run.throttled] {
        assert!(series.occupancy.iter().all(|&(_, b)| b <= 40));
    }
    // A slow sink keeps the buffer fuller.
    assert!(run.throttled.mean_occupancy() > run.eager.mean_occupancy());
}

#[test]
fn zero_parameters_are_refused() {
    let e = run_occupancy(Occupancy {
        throttle: 0,
        ..Occupancy::default()
    })
    .unwrap_err();
    assert_eq!(e.to_string(), "`throttle` must be at least 1");
}

#[test]
fn a_chapter_gets_a_figure_in_place_of_its_directive() {
    let md = "# Page\n\nBefore.\n\n{{#zigio-plot occupancy writes=50}}\n\nAfter `{{#zigio-plot occupancy}}`.\n";
    let out = process_chapter(Path::new("book/page.md"), md).unwrap();
    assert!(out.starts_with("# Page\n\nBefore.\n\n<figure class=\"zigio-plot\">\n<svg "));
    assert!(out.ends_with("</figure>\n\nAfter `{{#zigio-plot occupancy}}`.\n"));
    let figure = &out[out.find("<figure").unwrap()..out.find("</figure>").unwrap()];
    assert!(
        !figure.lines().any(|l| l.trim().is_empty()),
        "a blank line would end the HTML block"
    );
    assert!(polylines(figure).iter().any(|l| l.len() == 50));
    assert!(figure.contains("50 <code>write_all</code> calls"));
}

#[test]
fn unknown_plots_and_arguments_name_chapter_and_line() {
    let md = "# Page\n\n{{#zigio-plot histogram}}\n\ntext\n\n{{#zigio-plot occupancy colour=red}}\n\n{{#zigio-plot occupancy buffer=0}}\n\n{{#zigio-plot occupancy seed=x}}\n";
    let errors = process_chapter(Path::new("book/page.md"), md).unwrap_err();
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 4, "{shown:#?}");
    assert!(
        shown[0].starts_with("book/page.md:3: unknown plot `histogram`"),
        "{}",
        shown[0]
    );
    assert!(shown[0].ends_with("known plots: occupancy"), "{}", shown[0]);
    assert!(
        shown[1].starts_with("book/page.md:7: plot `occupancy`: unknown argument `colour`"),
        "{}",
        shown[1]
    );
    assert!(
        shown[2].starts_with("book/page.md:9: plot `occupancy`: `buffer=0` is out of range"),
        "{}",
        shown[2]
    );
    assert!(
        shown[3].starts_with("book/page.md:11: plot `occupancy`: `seed=x`"),
        "{}",
        shown[3]
    );
}

#[test]
fn a_chapter_without_directives_is_unchanged() {
    let md = "# Page\n\n```rust\nfn main() {}\n```\n";
    assert_eq!(process_chapter(Path::new("p.md"), md).unwrap(), md);
}
