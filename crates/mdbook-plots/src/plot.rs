//! Rendering a recorded run as SVG with plotters' SVG backend.

use crate::experiment::{OccupancyRun, Series};
use plotters::prelude::*;

/// Width and height of a plot, in SVG user units (pixels).
pub const SIZE: (u32, u32) = (760, 420);

/// Why a plot could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlotError(pub String);

impl std::fmt::Display for PlotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "drawing the plot failed: {}", self.0)
    }
}

impl std::error::Error for PlotError {}

fn err(e: impl std::fmt::Display) -> PlotError {
    PlotError(e.to_string())
}

const EAGER: RGBColor = RGBColor(0x1f, 0x77, 0xb4);
const THROTTLED: RGBColor = RGBColor(0xd6, 0x27, 0x28);
const CAPACITY: RGBColor = RGBColor(0x88, 0x88, 0x88);

/// Draws the occupancy of both series of `run` over the operations: one
/// polyline per series with one point per operation, a filled circle
/// where an operation's first drain happened (at the occupancy the drain
/// found), and a grey line at the buffer's capacity.
///
/// # Errors
/// If plotters reports an error while drawing.
pub fn occupancy_svg(run: &OccupancyRun) -> Result<String, PlotError> {
    let capacity = run.config.buffer;
    let ops = run.config.writes;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!(
                    "Occupancy of a {capacity}-byte buffer over {ops} writes (seed {})",
                    run.config.seed
                ),
                ("sans-serif", 16),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(48)
            // Headroom above the capacity line for the legend, so that it
            // never hides a data point.
            .build_cartesian_2d(0..ops, 0..capacity + capacity / 2 + 1)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("operation (write_all call)")
            .y_desc("buffered bytes after it")
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;

        chart
            .draw_series(LineSeries::new(
                [(0, capacity), (ops, capacity)],
                CAPACITY.stroke_width(1),
            ))
            .map_err(err)?
            .label(format!("capacity ({capacity} B)"))
            .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], CAPACITY));

        for (series, color) in [(&run.eager, EAGER), (&run.throttled, THROTTLED)] {
            draw_series(&mut chart, series, color)?;
        }

        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .draw()
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

type Chart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordusize, plotters::coord::types::RangedCoordusize>,
>;

fn draw_series(
    chart: &mut Chart<'_, '_>, series: &Series, color: RGBColor,
) -> Result<(), PlotError> {
    let drains = series.drain_points();
    chart
        .draw_series(LineSeries::new(
            series.occupancy.iter().copied(),
            color.stroke_width(2),
        ))
        .map_err(err)?
        .label(format!(
            "{}: {} drains, mean {:.1} B buffered",
            series.label,
            series.drains.len(),
            series.mean_occupancy()
        ))
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], color.stroke_width(2)));
    chart
        .draw_series(
            drains
                .iter()
                .map(|&point| Circle::new(point, 2, color.filled())),
        )
        .map_err(err)?;
    Ok(())
}
