//! The page's SVG charts, drawn with plotters' SVG backend (no fonts: text
//! sizes are plotters' estimate, and the browser draws the text).

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use crate::Error;
use crate::results::{Results, SweepResult};
use crate::spec::{Impl, Measure};

fn err(e: impl std::fmt::Display) -> Error {
    Error::Chart(e.to_string())
}

/// The colour of an implementation, the same in every chart.
pub fn color(imp: Impl) -> RGBColor {
    match imp {
        Impl::Zigio => RGBColor(0x1f, 0x77, 0xb4),
        Impl::ZigioDyn => RGBColor(0x17, 0xbe, 0xcf),
        Impl::Std => RGBColor(0xd6, 0x27, 0x28),
        Impl::Zig => RGBColor(0xf7, 0xa4, 0x1d),
        Impl::Cp => RGBColor(0x7f, 0x7f, 0x7f),
    }
}

const FASTER: RGBColor = RGBColor(0x2c, 0xa0, 0x2c);
const SLOWER: RGBColor = RGBColor(0xd6, 0x27, 0x28);

/// Horizontal bars of every time ratio, with a line at 1: left of it,
/// zigio (the numerator) is faster. Bars longer than the axis are cut and
/// labelled with their value.
pub fn ratios_svg(results: &Results) -> Result<String, Error> {
    let bars: Vec<(String, f64)> = results
        .workloads
        .iter()
        .flat_map(|w| {
            w.ratios
                .iter()
                .filter(|r| r.measure == Measure::Time)
                .filter_map(move |r| Some((format!("{}: {} / {}", w.id, r.num, r.den), r.value?)))
        })
        // plotters counts rows from the bottom: reversed, the first
        // workload is drawn at the top.
        .rev()
        .collect();
    let n = bars.len().max(1);
    let x_max = 2.0_f64;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (820, 60 + 24 * n as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "Median time ratio (below 1: the first is faster)",
                ("sans-serif", 16),
            )
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(330)
            .build_cartesian_2d(0.0..x_max, (0..bars.len()).into_segmented())
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                    bars.get(*i).map(|b| b.0.clone()).unwrap_or_default()
                }
                SegmentValue::Last => String::new(),
            })
            .x_desc("ratio of median times")
            .draw()
            .map_err(err)?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, (_, v))| {
                let color = if *v <= 1.0 { FASTER } else { SLOWER };
                Rectangle::new(
                    [
                        (0.0, SegmentValue::Exact(i)),
                        (v.min(x_max), SegmentValue::Exact(i + 1)),
                    ],
                    color.mix(0.8).filled(),
                )
            }))
            .map_err(err)?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, (_, v))| {
                Text::new(
                    format!("{v:.2}"),
                    (
                        (v.min(x_max) + 0.02).min(x_max - 0.12),
                        SegmentValue::CenterOf(i),
                    ),
                    ("sans-serif", 12),
                )
            }))
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(
                [(1.0, SegmentValue::Exact(0)), (1.0, SegmentValue::Last)],
                BLACK.stroke_width(1),
            ))
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Horizontal bars of system calls per case (logarithmic axis), one colour
/// per implementation.
pub fn syscalls_svg(results: &Results) -> Result<String, Error> {
    let bars: Vec<(String, Impl, u64)> = results
        .workloads
        .iter()
        .flat_map(|w| {
            w.cases.iter().filter_map(move |c| {
                let total = c.syscalls.as_ref()?.total();
                Some((format!("{}: {}", w.id, c.label), c.imp, total))
            })
        })
        .rev()
        .collect();
    let n = bars.len().max(1);
    let max = bars.iter().map(|b| b.2).max().unwrap_or(1).max(10) as f64 * 4.0;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (820, 60 + 20 * n as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "System calls of one repetition (strace -c -f, minus a dry run)",
                ("sans-serif", 16),
            )
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(360)
            .build_cartesian_2d((0.5..max).log_scale(), (0..bars.len()).into_segmented())
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                    bars.get(*i).map(|b| b.0.clone()).unwrap_or_default()
                }
                SegmentValue::Last => String::new(),
            })
            .x_label_formatter(&|x| format!("{x:.0}"))
            .x_desc("system calls (log scale)")
            .draw()
            .map_err(err)?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, (_, imp, calls))| {
                Rectangle::new(
                    [
                        (0.5, SegmentValue::Exact(i)),
                        ((*calls as f64).max(0.5), SegmentValue::Exact(i + 1)),
                    ],
                    color(*imp).mix(0.85).filled(),
                )
            }))
            .map_err(err)?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, (_, _, calls))| {
                Text::new(
                    calls.to_string(),
                    ((*calls as f64).max(0.5) * 1.1, SegmentValue::CenterOf(i)),
                    ("sans-serif", 11),
                )
            }))
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Human form of a buffer size: 0, 16, 1 KiB, 64 KiB.
pub fn size_label(bytes: usize) -> String {
    if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        bytes.to_string()
    }
}

/// Throughput (MB/s, logarithmic) against buffer size (one tick per size
/// measured), one line per implementation.
pub fn sweep_svg(sweep: &SweepResult) -> Result<String, Error> {
    let values = sweep.series.iter().flat_map(|s| s.mb_per_s.iter().copied());
    let max = values.clone().fold(1.0_f64, f64::max) * 2.0;
    let min = values.filter(|v| *v > 0.0).fold(max, f64::min) / 2.0;
    let last = sweep.buffers.len().saturating_sub(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("Throughput against buffer size: {}", sweep.title),
                ("sans-serif", 16),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0..last, (min..max).log_scale())
            .map_err(err)?;
        let buffers = sweep.buffers.clone();
        chart
            .configure_mesh()
            .x_labels(buffers.len())
            .x_label_formatter(&|i| buffers.get(*i).map(|b| size_label(*b)).unwrap_or_default())
            .y_label_formatter(&|y| format!("{y:.0}"))
            .x_desc("buffer size (bytes)")
            .y_desc("MB/s (log scale)")
            .draw()
            .map_err(err)?;
        for s in &sweep.series {
            let c = color(s.imp);
            let points: Vec<(usize, f64)> = s
                .mb_per_s
                .iter()
                .enumerate()
                .filter(|(_, v)| **v > 0.0)
                .map(|(i, v)| (i, *v))
                .collect();
            chart
                .draw_series(LineSeries::new(points.clone(), c.stroke_width(2)))
                .map_err(err)?
                .label(s.imp.as_str())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], c.stroke_width(2)));
            chart
                .draw_series(points.iter().map(|&p| Circle::new(p, 3, c.filled())))
                .map_err(err)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .draw()
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}
