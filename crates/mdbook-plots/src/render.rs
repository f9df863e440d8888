//! From a directive to its HTML figure: the registry of plots.

use crate::directive::Directive;
use crate::experiment::{Occupancy, OccupancyRun, run_occupancy};
use crate::plot::occupancy_svg;

/// The plot names a directive may use.
pub const PLOTS: &[&str] = &["occupancy"];

/// Largest accepted values, so that a typo cannot make a build run for
/// minutes or inline megabytes of SVG.
const MAX_BUFFER: usize = 1 << 20;
const MAX_WRITES: usize = 5_000;

/// Runs the experiment a directive names and returns the figure (HTML with
/// an inline SVG, no blank line in it, so that Markdown keeps it one block).
///
/// # Errors
/// An unknown plot name, an unknown argument or a value that is not a
/// number in range, each said in a message that names it.
pub fn render(directive: &Directive) -> Result<String, String> {
    match directive.name.as_str() {
        "occupancy" => {
            let config = occupancy_config(&directive.args)?;
            let run = run_occupancy(config).map_err(|e| format!("plot `occupancy`: {e}"))?;
            let svg = occupancy_svg(&run).map_err(|e| format!("plot `occupancy`: {e}"))?;
            let name = "Buffered bytes after each write, over a sink that takes everything \
                        and over a throttled one";
            Ok(figure(&svg, name, &occupancy_caption(&run)))
        }
        other => Err(format!(
            "unknown plot `{other}` in `{{{{#zigio-plot {other}}}}}`; known plots: {}",
            PLOTS.join(", ")
        )),
    }
}

fn occupancy_config(args: &[(String, String)]) -> Result<Occupancy, String> {
    let mut config = Occupancy::default();
    for (key, value) in args {
        let number = || -> Result<u64, String> {
            value.parse::<u64>().map_err(|_| {
                format!(
                    "plot `occupancy`: `{key}={value}`: `{value}` is not a non-negative integer"
                )
            })
        };
        let bounded = |max: usize| -> Result<usize, String> {
            let n = number()?;
            match usize::try_from(n) {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(format!(
                    "plot `occupancy`: `{key}={value}` is out of range 1..={max}"
                )),
            }
        };
        match key.as_str() {
            "buffer" => config.buffer = bounded(MAX_BUFFER)?,
            "writes" => config.writes = bounded(MAX_WRITES)?,
            "max-write" => config.max_write = bounded(MAX_BUFFER)?,
            "throttle" => config.throttle = bounded(MAX_BUFFER)?,
            "seed" => config.seed = number()?,
            _ => {
                return Err(format!(
                    "plot `occupancy`: unknown argument `{key}`; known: buffer, writes, seed, max-write, throttle"
                ));
            }
        }
    }
    Ok(config)
}

fn occupancy_caption(run: &OccupancyRun) -> String {
    let c = &run.config;
    format!(
        "Recorded while this page was built: {writes} <code>write_all</code> calls of 1 to {max} bytes \
         ({total} bytes, seed {seed}) into a {buffer}-byte buffer. Over a sink that takes everything, \
         {d1} drains and {m1:.1} bytes buffered on average; over a sink that takes {throttle} bytes \
         per drain, {d2} drains and {m2:.1} bytes on average. Dots mark the writes that drained, at \
         the occupancy the first drain found.",
        writes = c.writes,
        max = c.max_write,
        total = run.total_bytes(),
        seed = c.seed,
        buffer = c.buffer,
        d1 = run.eager.drains.len(),
        m1 = run.eager.mean_occupancy(),
        throttle = c.throttle,
        d2 = run.throttled.drains.len(),
        m2 = run.throttled.mean_occupancy(),
    )
}

/// Wraps an SVG document in a figure; `name` is what a screen reader calls
/// the image. Blank lines would end Markdown's HTML block and let the rest
/// be read as Markdown, so none is kept.
fn figure(svg: &str, name: &str, caption: &str) -> String {
    let svg = svg.replacen(
        "<svg ",
        &format!(
            "<svg style=\"max-width: 100%; height: auto\" role=\"img\" aria-label=\"{name}\" "
        ),
        1,
    );
    let mut html = String::from("<figure class=\"zigio-plot\">\n");
    for line in svg.lines().filter(|l| !l.trim().is_empty()) {
        html.push_str(line);
        html.push('\n');
    }
    html.push_str("<figcaption>");
    html.push_str(caption);
    html.push_str("</figcaption>\n</figure>");
    html
}
