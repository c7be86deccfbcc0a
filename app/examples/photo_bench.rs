//! The photo pipeline side by side with vipsthumbnail doing the same job (1600 px display copy,
//! then a 320 px thumbnail made from it, JPEG q82, metadata stripped), each as whole processes,
//! interleaved.
//!
//! `cargo run --release -p app --features ssr --example photo_bench -- [photo.jpg] [--rounds N]`
//!
//! Needs `/usr/bin/time` (Debian `time`) for peak RSS and CPU time, and `vipsthumbnail`
//! (Debian `libvips-tools`). Prints a markdown table for docs/benchmarks.md.

use app::photo::{process_photo, PhotoLimits};
use std::{
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

const TIME: &str = "/usr/bin/time";
const VIPS: &str = "vipsthumbnail";
const DEFAULT_ROUNDS: usize = 15;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, input, out_dir] if flag == "--one" => run_once(Path::new(input), Path::new(out_dir)),
        _ => compare(&args),
    }
}

/// The child's job: one photo through the pipeline, both JPEGs written out.
fn run_once(input: &Path, out_dir: &Path) -> Result<(), String> {
    let bytes = std::fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?;
    let photo = process_photo(&bytes, &PhotoLimits::default())
        .map_err(|e| format!("{}: {e}", input.display()))?;
    std::fs::write(out_dir.join("display.jpg"), photo.display.jpeg).map_err(|e| e.to_string())?;
    std::fs::write(out_dir.join("thumb.jpg"), photo.thumbnail.jpeg).map_err(|e| e.to_string())
}

fn default_photo() -> PathBuf {
    let testdata = std::env::var_os("RETOUR_TESTDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../shared/testdata"
            ))
        });
    testdata.join("images/camera_exif/Xiaomi_Mi_9T_KeyError.jpg")
}

#[derive(Clone, Copy, Default)]
struct Sample {
    wall: Duration,
    cpu_seconds: f64,
    peak_rss_kib: u64,
}

impl Sample {
    /// Two processes run one after the other: times add up, memory peaks.
    fn then(self, next: Sample) -> Sample {
        Sample {
            wall: self.wall + next.wall,
            cpu_seconds: self.cpu_seconds + next.cpu_seconds,
            peak_rss_kib: self.peak_rss_kib.max(next.peak_rss_kib),
        }
    }
}

/// Wall time from our own clock (`time` only prints 10 ms steps); CPU and peak RSS from `time`.
fn measure(program: &Path, args: &[&str], report: &Path) -> Result<Sample, String> {
    let started = Instant::now();
    let status = Command::new(TIME)
        .args(["-f", "%U %S %M", "-o"])
        .arg(report)
        .arg(program)
        .args(args)
        .status()
        .map_err(|e| format!("{TIME}: {e} (apt-get install time)"))?;
    let wall = started.elapsed();
    if !status.success() {
        return Err(format!("{} {args:?} failed: {status}", program.display()));
    }
    let text = std::fs::read_to_string(report).map_err(|e| e.to_string())?;
    let fields: Vec<f64> = text
        .lines()
        .last()
        .unwrap_or_default()
        .split(' ')
        .filter_map(|f| f.parse().ok())
        .collect();
    let [user, system, rss] = fields[..] else {
        return Err(format!("unexpected {TIME} output: {text}"));
    };
    Ok(Sample {
        wall,
        cpu_seconds: user + system,
        peak_rss_kib: rss as u64,
    })
}

fn median<T: Copy + PartialOrd>(mut values: Vec<T>) -> T {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    values[values.len() / 2]
}

fn compare(args: &[String]) -> Result<(), String> {
    let mut photo = default_photo();
    let mut rounds = DEFAULT_ROUNDS;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--rounds" => {
                rounds = rest
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or("--rounds needs a number")?
            }
            path => photo = PathBuf::from(path),
        }
    }
    let input = photo.to_str().ok_or("the photo's path must be UTF-8")?;
    let vips_version = Command::new(VIPS)
        .arg("--vips-version")
        .output()
        .map_err(|e| format!("{VIPS}: {e} (apt-get install libvips-tools)"))?;
    let scratch = std::env::temp_dir().join(format!("photo_bench_{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let report = scratch.join("time.txt");
    let ours = std::env::current_exe().map_err(|e| e.to_string())?;
    let ours_dir = scratch
        .to_str()
        .ok_or("the temp dir's path must be UTF-8")?
        .to_owned();
    let vips_display = format!("{ours_dir}/vips_display.jpg");
    let vips_display_out = format!("{vips_display}[Q=82,strip]");
    let vips_thumb_out = format!("{ours_dir}/vips_thumb.jpg[Q=82,strip]");

    let run_ours = || measure(&ours, &["--one", input, &ours_dir], &report);
    let run_vips = || -> Result<Sample, String> {
        // Like ours, the thumbnail is made from the display copy rather than decoded again.
        let display = measure(
            Path::new(VIPS),
            &[input, "--size", "1600x1600", "-o", &vips_display_out],
            &report,
        )?;
        Ok(display.then(measure(
            Path::new(VIPS),
            &[&vips_display, "--size", "320x320", "-o", &vips_thumb_out],
            &report,
        )?))
    };
    // One untimed run each, so both start with the photo in the page cache.
    run_ours()?;
    run_vips()?;
    let (mut ours_samples, mut vips_samples) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        // Alternate who goes first so neither always runs on a warmer machine.
        if round % 2 == 0 {
            ours_samples.push(run_ours()?);
            vips_samples.push(run_vips()?);
        } else {
            vips_samples.push(run_vips()?);
            ours_samples.push(run_ours()?);
        }
    }
    let bytes = std::fs::read(&photo).map_err(|e| e.to_string())?;
    let in_process: Vec<Duration> = (0..rounds)
        .map(|_| {
            let started = Instant::now();
            process_photo(&bytes, &PhotoLimits::default())
                .map(|_| started.elapsed())
                .map_err(|e| e.to_string())
        })
        .collect::<Result<_, _>>()?;
    // Best effort: a leftover temp dir is harmless.
    let _ = std::fs::remove_dir_all(&scratch);

    let summarise = |samples: &[Sample]| {
        (
            median(samples.iter().map(|s| s.wall).collect()),
            median(samples.iter().map(|s| s.cpu_seconds).collect()),
            samples
                .iter()
                .map(|s| s.peak_rss_kib)
                .max()
                .unwrap_or_default(),
        )
    };
    let (ours_wall, ours_cpu, ours_rss) = summarise(&ours_samples);
    let (vips_wall, vips_cpu, vips_rss) = summarise(&vips_samples);
    let in_process = median(in_process);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mib = |kib: u64| kib as f64 / 1024.0;
    let version = String::from_utf8_lossy(&vips_version.stdout)
        .trim()
        .to_owned();

    println!(
        "Photo: `{}`, {rounds} interleaved rounds, medians (peak RSS: the highest seen).\n",
        photo.display()
    );
    println!("| job | wall | ratio to vips | CPU (user+sys) | ratio to vips | peak RSS |");
    println!("|---|---:|---:|---:|---:|---:|");
    println!(
        "| Retour `process_photo`, whole process (`--one`) | {:.0} ms | {:.2} | {:.0} ms | {:.2} | {:.0} MiB |",
        ms(ours_wall),
        ms(ours_wall) / ms(vips_wall),
        ours_cpu * 1000.0,
        ours_cpu / vips_cpu,
        mib(ours_rss)
    );
    println!(
        "| {version}: `vipsthumbnail --size 1600x1600`, then `--size 320x320` of that, `[Q=82,strip]` | {:.0} ms | 1.00 | {:.0} ms | 1.00 | {:.0} MiB |",
        ms(vips_wall),
        vips_cpu * 1000.0,
        mib(vips_rss)
    );
    println!(
        "| Retour `process_photo`, in process (one call) | {:.0} ms | {:.2} | | | |",
        ms(in_process),
        ms(in_process) / ms(vips_wall)
    );
    println!("\nCPU time and RSS come from `{TIME}`, whose figures step by 10 ms.");
    Ok(())
}
