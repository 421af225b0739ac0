//! The deployment examples in `deploy/`: the Kubernetes manifest parses and
//! is an Indexed Job whose workers run a `bitext translate --shard` the CLI
//! accepts, with the API key and the memory from Secrets; the Slurm script
//! runs one the CLI accepts too; the container build file builds this
//! binary.

use bitext::cli::{Cli, Command};
use clap::Parser;
use serde::Deserialize;
use serde_yaml_ng::Value;

use crate::harness::{assert_contains, repo_path};

/// The `translate` arguments `line` (a shell command line after `bitext`,
/// variables already replaced) parses to with the real CLI.
fn parse_translate(line: &str) -> bitext::cli::TranslateArgs {
    let words = line.split_whitespace().map(|w| w.trim_matches('"'));
    let cli = Cli::try_parse_from(std::iter::once("bitext").chain(words))
        .unwrap_or_else(|e| panic!("`bitext {line}` is not a valid command line: {e}"));
    match cli.command {
        Command::Translate(args) => args,
        _ => panic!("`bitext {line}` does not translate"),
    }
}

/// The command line after `exec bitext ` in `script`.
fn exec_line(script: &str) -> String {
    let start = script.find("exec bitext ").expect("an `exec bitext` line") + "exec bitext ".len();
    script[start..].lines().next().unwrap().to_string()
}

#[test]
fn the_kubernetes_job_is_indexed_and_its_workers_run_real_flags() {
    let text = std::fs::read_to_string(repo_path("deploy/kubernetes-job.yaml")).unwrap();
    let documents: Vec<Value> = serde_yaml_ng::Deserializer::from_str(&text)
        .map(|d| Value::deserialize(d).expect("the manifest parses"))
        .collect();
    let kinds: Vec<&str> = documents
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["Job", "PersistentVolumeClaim", "Service", "StatefulSet"]
    );
    let job = &documents[0];
    assert_eq!(job["spec"]["completionMode"], "Indexed");
    let completions = job["spec"]["completions"].as_u64().unwrap();
    let container = &job["spec"]["template"]["spec"]["containers"][0];
    let script = container["command"][2].as_str().unwrap();
    // The shell gives each pod its index.
    assert_contains(script, "$JOB_COMPLETION_INDEX");
    let line = exec_line(script).replace("$JOB_COMPLETION_INDEX", "5");
    let args = parse_translate(&line);
    let shard = args.shard.expect("--shard");
    assert_eq!((shard.index, shard.count), (5, completions));
    assert!(args.skip_existing, "a restarted pod resumes its shard");
    // The key and the memory come from Secrets, never from the manifest.
    let from_secret = |name: &str| {
        container["env"]
            .as_sequence()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .is_some_and(|e| e["valueFrom"]["secretKeyRef"]["name"].is_string())
    };
    for var in ["OPENAI_API_KEY", "BITEXT_CACHE", "PGPASSWORD"] {
        assert!(from_secret(var), "{var} from a Secret");
    }
    // The output folder is on the shared volume.
    let mount = container["volumeMounts"][0]["mountPath"].as_str().unwrap();
    assert!(args.output.starts_with(mount), "{:?}", args.output);
    assert_eq!(documents[1]["spec"]["accessModes"][0], "ReadWriteMany");
}

#[test]
fn the_slurm_array_runs_real_flags_one_shard_per_task() {
    let script = std::fs::read_to_string(repo_path("deploy/slurm-array.sh")).unwrap();
    let array = script
        .lines()
        .find_map(|l| l.strip_prefix("#SBATCH --array=0-"))
        .expect("an #SBATCH --array line");
    let tasks: u64 = array.trim().parse::<u64>().unwrap() + 1;
    assert!(script.contains(&format!("SLURM_ARRAY_TASK_COUNT:-{tasks}")));
    let line = exec_line(&script)
        .replace("\"$corpus\"", "corpus")
        .replace("\"$output\"", "out")
        .replace("$SLURM_ARRAY_TASK_ID/$shards", &format!("2/{tasks}"));
    let args = parse_translate(&line);
    let shard = args.shard.expect("--shard");
    assert_eq!((shard.index, shard.count), (2, tasks));
    assert!(!line.contains('$'), "every variable replaced: {line}");
}

#[test]
fn the_container_build_file_builds_and_runs_this_binary() {
    let dockerfile = std::fs::read_to_string(repo_path("deploy/Dockerfile")).unwrap();
    assert!(dockerfile.contains("cargo build --release --locked --bin bitext"));
    assert!(
        dockerfile.contains("COPY --from=build /src/target/release/bitext /usr/local/bin/bitext")
    );
    assert!(dockerfile.contains("ENTRYPOINT [\"bitext\"]"));
}
