//! Presets for chat servers on this machine: `ollama` and `llamacpp` are the
//! [`super::openai`] backend at those servers' default addresses, with no
//! key, a default model, batches small enough for their default context
//! window, and an error that says how to start the server when it is not
//! running.

use super::openai::{OpenAi, Preset};
use super::{BackendInfo, Capabilities};

/// Batches for a model with a 4,096-token context window (Ollama's and
/// llama.cpp's usual default): about 1,000 source characters, with their
/// prompt and their translations.
const CAPABILITIES: Capabilities = Capabilities::model(60, 1000).network(false);

/// Ollama (`ollama serve`), through its OpenAI-compatible API.
pub const OLLAMA_PRESET: Preset = Preset {
    name: "ollama",
    base_url: "http://127.0.0.1:11434/v1",
    model: "qwen2.5:7b",
    capabilities: CAPABILITIES,
    start_hint: Some(
        "is Ollama running? start it with `ollama serve` (and get the model with `ollama pull {model}`)",
    ),
    model_hint: Some(
        "get it with `ollama pull {model}`, or name a model `ollama list` shows with --model",
    ),
};

/// llama.cpp's server (`llama-server`), which serves the one model it
/// loaded whatever the request names.
pub const LLAMACPP_PRESET: Preset = Preset {
    name: "llamacpp",
    base_url: "http://127.0.0.1:8080/v1",
    model: "default",
    capabilities: CAPABILITIES,
    start_hint: Some(
        "is llama.cpp's server running? start it with `llama-server -m model.gguf --port 8080`",
    ),
    model_hint: None,
};

/// `--backend ollama` in the registry of [`super::builtins`].
pub const OLLAMA: BackendInfo = BackendInfo {
    name: OLLAMA_PRESET.name,
    summary: "Ollama on this machine (openai at http://127.0.0.1:11434/v1), model qwen2.5:7b unless --model says otherwise",
    needs: "a running `ollama serve` with the model pulled; no key",
    glossary: "as openai: the batch's terms go in the prompt, and misses are sent again with placeholders",
    default_base_url: Some(OLLAMA_PRESET.base_url),
    capabilities: CAPABILITIES,
    key_var: None,
    build: |settings| Ok(Box::new(OpenAi::with_preset(OLLAMA_PRESET, settings)?)),
};

/// `--backend llamacpp` in the registry of [`super::builtins`].
pub const LLAMACPP: BackendInfo = BackendInfo {
    name: LLAMACPP_PRESET.name,
    summary: "llama.cpp's server on this machine (openai at http://127.0.0.1:8080/v1), serving the model it loaded",
    needs: "a running `llama-server -m model.gguf`; no key (--model names the model in the translation memory)",
    glossary: "as openai: the batch's terms go in the prompt, and misses are sent again with placeholders",
    default_base_url: Some(LLAMACPP_PRESET.base_url),
    capabilities: CAPABILITIES,
    key_var: None,
    build: |settings| Ok(Box::new(OpenAi::with_preset(LLAMACPP_PRESET, settings)?)),
};
