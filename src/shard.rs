//! Sharding a batch across workers: `--shard I/N` keeps the inputs whose
//! path hashes to shard `I` of `N` (0-based, so that a Kubernetes Indexed
//! Job's `$JOB_COMPLETION_INDEX` or a Slurm array's `$SLURM_ARRAY_TASK_ID`
//! can be passed as it is).
//!
//! Each input's shard depends on its own path alone (a fixed hash of it,
//! modulo `N`), so adding or removing a file never moves another file to a
//! different shard, and every worker, on any machine, computes the same
//! split. The path hashed is the one relative to the directory argument it
//! was found in (`sub/a.txt` for `corpus/sub/a.txt` found in `corpus`), or
//! the file argument as given without `./`: the workers must be given the
//! same input arguments, not necessarily the same working directory for
//! directory arguments.

use std::path::{Component, Path};
use std::str::FromStr;

use crate::input::Input;

/// One shard of `count`: `index` is 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard (0-based, below `count`).
    pub index: u64,
    /// How many shards there are (at least 1).
    pub count: u64,
}

impl FromStr for Shard {
    type Err = String;

    /// `I/N`, with `I < N` and `N ≥ 1`.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let usage = || {
            format!(
                "`{value}` is not a shard: write I/N, 0-based, such as 0/4 … 3/4 \
                 (e.g. --shard $JOB_COMPLETION_INDEX/4)"
            )
        };
        let (index, count) = value.split_once('/').ok_or_else(usage)?;
        let index: u64 = index.trim().parse().map_err(|_| usage())?;
        let count: u64 = count.trim().parse().map_err(|_| usage())?;
        if count == 0 {
            return Err(format!(
                "`{value}`: the number of shards must be at least 1"
            ));
        }
        if index >= count {
            return Err(format!(
                "`{value}`: shards are numbered from 0, so shard {index} of {count} does not exist (the last is {})",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether `input` belongs to this shard.
    pub fn takes(&self, input: &Input) -> bool {
        shard_of(&shard_key(input), self.count) == self.index
    }

    /// The inputs of this shard, in their order.
    pub fn select(&self, inputs: Vec<Input>) -> Vec<Input> {
        inputs.into_iter().filter(|i| self.takes(i)).collect()
    }
}

/// The shard of `key` among `count`: its [`stable_hash`] modulo `count`.
pub fn shard_of(key: &str, count: u64) -> u64 {
    stable_hash(key.as_bytes()) % count.max(1)
}

/// What an input's shard is computed from: its path relative to the
/// directory argument it was found in, else as given; `/`-separated,
/// without `.` components; `-` for standard input.
pub fn shard_key(input: &Input) -> String {
    let path = match input {
        Input::Found { path, dir } => path.strip_prefix(dir).unwrap_or(path),
        Input::File(path) => path.as_path(),
        Input::Stdin => return "-".to_string(),
    };
    normal_parts(path).join("/")
}

fn normal_parts(path: &Path) -> Vec<String> {
    path.components()
        .filter_map(|c| match c {
            Component::CurDir => None,
            Component::RootDir => Some(String::new()),
            other => Some(other.as_os_str().to_string_lossy().into_owned()),
        })
        .collect()
}

/// A hash of `bytes` that is the same on every machine, build and run
/// (unlike std's, which is seeded at random): 64-bit FNV-1a
/// ([`crate::text::fnv1a`]), then MurmurHash3's 64-bit finalizer so that
/// every bit, and so the remainder modulo a small count, depends on every
/// byte. Never change it: the shards of running batches depend on it.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut hash = crate::text::fnv1a(bytes);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn the_hash_is_fixed() {
        // Pinned values (checked against an independent implementation of
        // FNV-1a and the Murmur3 finalizer): a change here would move files
        // between the shards of batches already running.
        let pinned = [
            ("", 0xefd0_1f60_ba99_2926, 2),
            ("a.txt", 0xab91_650f_3895_4bad, 1),
            ("sub/b.txt", 0x0b8f_5613_f3b8_b60f, 3),
            ("corpus/0001.txt", 0x5d6b_a322_a0b3_b4bc, 0),
        ];
        for (key, hash, of_four) in pinned {
            assert_eq!(stable_hash(key.as_bytes()), hash, "{key}");
            assert_eq!(shard_of(key, 4), of_four, "{key}");
        }
    }

    #[test]
    fn adding_files_never_moves_another_file() {
        let names: Vec<String> = (0..500).map(|i| format!("corpus/{i:04}.txt")).collect();
        for count in [1, 2, 3, 4, 8, 16] {
            let before: Vec<u64> = names[..300].iter().map(|n| shard_of(n, count)).collect();
            // The shard of each file is the same whatever else is there.
            let after: Vec<u64> = names.iter().map(|n| shard_of(n, count)).collect();
            assert_eq!(before[..], after[..300]);
        }
    }

    #[test]
    fn shards_cover_every_file_once_and_are_roughly_even() {
        let inputs: Vec<Input> = (0..400)
            .map(|i| Input::Found {
                path: PathBuf::from(format!("in/{}/{i}.txt", i % 7)),
                dir: PathBuf::from("in"),
            })
            .collect();
        let count = 4;
        let mut seen = vec![0; inputs.len()];
        for index in 0..count {
            let shard = Shard { index, count };
            let taken = shard.select(inputs.clone());
            assert!(
                (60..=140).contains(&taken.len()),
                "shard {index}: {}",
                taken.len()
            );
            for input in taken {
                seen[inputs.iter().position(|i| *i == input).unwrap()] += 1;
            }
        }
        assert!(seen.iter().all(|&n| n == 1));
    }

    #[test]
    fn the_key_is_the_path_below_the_directory_argument_without_dots() {
        let found = Input::Found {
            path: PathBuf::from("./corpus/sub/a.txt"),
            dir: PathBuf::from("./corpus"),
        };
        assert_eq!(shard_key(&found), "sub/a.txt");
        assert_eq!(
            shard_key(&Input::File(PathBuf::from("./x/./b.txt"))),
            "x/b.txt"
        );
        assert_eq!(shard_key(&Input::Stdin), "-");
    }

    #[test]
    fn shards_are_parsed_and_checked() {
        assert_eq!("2/4".parse(), Ok(Shard { index: 2, count: 4 }));
        assert_eq!("0/1".parse(), Ok(Shard { index: 0, count: 1 }));
        for bad in ["4/4", "0/0", "1", "a/4", "-1/4", "1/-4", "", "/4"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        assert!(
            "4/4"
                .parse::<Shard>()
                .unwrap_err()
                .contains("numbered from 0"),
            "says why"
        );
    }
}
