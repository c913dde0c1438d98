//! Shared set-up of the benchmarks: synthetic data folders made with
//! `lotse generate`'s library function, cached under `target/bench-data`
//! (or taken from `LOTSE_BENCH_DATA/<profiles>x<offers>`), and opened once.
#![allow(dead_code)]

use lotse::engine::Engine;
use lotse::generate::{generate, generate_csv, Options};
use lotse::index::ProfileIndex;
use lotse::records::DataDir;
use std::path::PathBuf;

/// The repository's bundled data folder.
pub fn bundled() -> DataDir {
    DataDir::new(env!("CARGO_MANIFEST_DIR"))
}

/// Where generated bench data is cached.
fn root() -> PathBuf {
    std::env::var_os("LOTSE_BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data"))
}

/// A generated data folder with `profiles` profiles and `offers` offers (seed 42).
pub fn data(profiles: usize, offers: usize) -> DataDir {
    let root = root();
    let dir = root.join(format!("{profiles}x{offers}"));
    if !dir.join("profiles").exists() {
        std::fs::create_dir_all(&root).expect("bench data folder");
        let options = Options {
            profiles,
            offers,
            seed: 42,
        };
        generate(&bundled(), &dir, &options).expect("generate bench data");
    }
    DataDir::new(dir)
}

/// The import files (`profiles.csv`, `offers.csv`) of `lotse generate
/// --format csv` with `profiles` profiles and `offers` offers (seed 42),
/// cached beside the data folders.
pub fn csv(profiles: usize, offers: usize) -> PathBuf {
    let dir = root().join(format!("csv-{profiles}x{offers}"));
    if !dir.join("profiles.csv").exists() {
        let options = Options {
            profiles,
            offers,
            seed: 42,
        };
        generate_csv(&bundled(), &dir, &options).expect("generate bench CSV");
    }
    dir
}

/// A new data folder with the bundled catalogue and nothing else, as
/// `lotse generate --profiles 0 --offers 0` makes it.
pub fn empty_folder() -> (tempfile::TempDir, DataDir) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("data");
    let options = Options {
        profiles: 0,
        offers: 0,
        seed: 42,
    };
    generate(&bundled(), &out, &options).expect("empty data folder");
    (tmp, DataDir::new(out))
}

/// The engine and the (built or reused) index of a data folder.
pub fn open(data: &DataDir) -> (Engine, ProfileIndex) {
    let engine = Engine::open(data, None).expect("engine");
    let (index, _) = ProfileIndex::open(&engine, &data.default_index(), None).expect("index");
    (engine, index)
}
