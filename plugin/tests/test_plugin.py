"""The plugin as a user meets it: options, header lines, markers and error messages."""

from __future__ import annotations

import pytest

from plugin import options
from plugin.runtime.backend import detect_backend_name
from training import run_profiles

BACKEND = detect_backend_name()

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

PASSING = "def test_ok():\n    pass\n"


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    pytester.makepyfile(PASSING)
    return pytester.runpytest("-p", "plugin.plugin", *args)


def test_default_run_profile_follows_backend() -> None:
    assert run_profiles.default_run_profile("metal") == ("v3", "Metal GPU available")
    assert run_profiles.default_run_profile("cpu") == ("cpu", "no Metal GPU; cpu backend")
    assert run_profiles.default_run_profile("cuda")[0] == "cpu"


def test_header_lines(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(run_profiles.ENV_VAR, raising=False)
    name, reason = run_profiles.default_run_profile(BACKEND)
    result = run(pytester)
    result.stdout.fnmatch_lines(
        [
            f"recipe profile: {name} ({reason})",
            f"recipe model: {run_profiles.get(name).model}*",
            f"recipe backend: {BACKEND}",
            "recipe blas: *",
            "recipe versions: mlx *, mlx-lm *",
        ]
    )
    assert result.ret == 0


def test_profile_option_beats_env(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(run_profiles.ENV_VAR, "cpu")
    result = run(pytester, options.PROFILE, "v3")
    result.stdout.fnmatch_lines(
        ["recipe profile: v3 (from --recipe-profile)", "recipe model: mlx-community/Phi-3-mini-4k-instruct-4bit"]
    )


def test_profile_from_env(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(run_profiles.ENV_VAR, "v3")
    run(pytester).stdout.fnmatch_lines(["recipe profile: v3 (from $RECIPE_PROFILE)"])


def test_unknown_profile(pytester: pytest.Pytester) -> None:
    result = run(pytester, options.PROFILE, "v9")
    result.stderr.fnmatch_lines(["*error: argument --recipe-profile: unknown run profile 'v9'; choose from cpu, v3"])
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_unknown_profile_in_env(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(run_profiles.ENV_VAR, "fast")
    result = run(pytester)
    result.stderr.fnmatch_lines(["ERROR: $RECIPE_PROFILE: unknown run profile 'fast'; choose from cpu, v3"])
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_model_path_that_does_not_exist(pytester: pytest.Pytester) -> None:
    result = run(pytester, options.MODEL, "./no/such/model")
    result.stderr.fnmatch_lines(["*error: argument --recipe-model: model path ./no/such/model does not exist; *"])
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_model_folder_without_config(pytester: pytest.Pytester) -> None:
    pytester.mkdir("empty_model")
    result = run(pytester, options.MODEL, "empty_model")
    result.stderr.fnmatch_lines(["*error: argument --recipe-model: model folder empty_model has no config.json; *"])


def test_model_accepts_hf_id_and_local_folder(pytester: pytest.Pytester) -> None:
    folder = pytester.mkdir("my_model")
    (folder / "config.json").write_text("{}")
    run(pytester, options.MODEL, "org/some-model").stdout.fnmatch_lines(["recipe model: org/some-model"])
    run(pytester, options.MODEL, "my_model").stdout.fnmatch_lines([f"recipe model: {folder}"])


def test_markers_are_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("-p", "plugin.plugin", "--markers")
    result.stdout.fnmatch_lines(
        ["@pytest.mark.model: *", "@pytest.mark.slow: *", "@pytest.mark.metal: *", "@pytest.mark.perf: *"]
    )


def test_unknown_marker_is_rejected(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("import pytest\n@pytest.mark.modle\ndef test_x():\n    pass\n")
    result = pytester.runpytest("-p", "plugin.plugin", "--strict-markers")
    result.stdout.fnmatch_lines(["*'modle' not found in `markers` configuration option*"])
    assert result.ret == pytest.ExitCode.INTERRUPTED


@pytest.mark.skipif(BACKEND == "metal", reason="this machine has Metal")
def test_metal_marker_skips_off_metal(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("import pytest\n@pytest.mark.metal\ndef test_gpu():\n    pass\n")
    result = pytester.runpytest("-p", "plugin.plugin", "-rs")
    result.stdout.fnmatch_lines(["SKIPPED*needs Metal (Apple Silicon GPU)"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--recipe-gen-batch-size", "0"),
            "*error: argument --recipe-gen-batch-size: batch size must be between 1 and 256, got 0",
        ),
        (
            ("--recipe-gen-batch-size", "many"),
            "*error: argument --recipe-gen-batch-size: batch size must be an integer, got 'many'",
        ),
        (
            ("--recipe-adapter-path", "no/such/adapter"),
            "*error: argument --recipe-adapter-path: adapter folder no/such/adapter does not exist",
        ),
        (
            ("--recipe-compare-adapter", "nowhere"),
            "*error: argument --recipe-compare-adapter: adapter folder nowhere does not exist",
        ),
        (
            ("--recipe-train-config", "missing.yaml"),
            "*error: argument --recipe-train-config: training config missing.yaml does not exist",
        ),
    ],
    ids=["batch-zero", "batch-word", "adapter-missing", "compare-missing", "train-config-missing"],
)
def test_bad_option_values(pytester: pytest.Pytester, args: tuple[str, ...], message: str) -> None:
    result = run(pytester, *args)
    result.stderr.fnmatch_lines([message])
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_adapter_folder_without_weights(pytester: pytest.Pytester) -> None:
    pytester.mkdir("empty_adapter")
    result = run(pytester, "--recipe-adapter-path", "empty_adapter")
    result.stderr.fnmatch_lines(
        ["*error: argument --recipe-adapter-path: adapter folder empty_adapter has no adapters.safetensors"]
    )


def test_adapter_trained_on_another_base_model(pytester: pytest.Pytester) -> None:
    folder = pytester.mkdir("other_adapter")
    (folder / "adapters.safetensors").write_bytes(_safetensors())
    (folder / "adapter_config.json").write_text('{"model": "org/other-base"}')
    pytester.makepyfile("def test_uses(recipe_adapter):\n    pass\n")
    result = pytester.runpytest("-p", "plugin.plugin", "--recipe-adapter-path", str(folder), "--recipe-profile", "cpu")
    result.stdout.fnmatch_lines(["*adapter was trained on org/other-base, but this run's base model is *"])
    assert result.ret != 0


def test_missing_adapter_skips_with_how_to(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    monkeypatch.setitem(
        run_profiles.RUN_PROFILES,
        "v3",
        dataclasses.replace(run_profiles.RUN_PROFILES["v3"], adapter_path=pytester.path / "none-here"),
    )
    pytester.makepyfile("def test_uses(recipe_adapter):\n    pass\n")
    result = pytester.runpytest("-p", "plugin.plugin", "--recipe-profile", "v3", "-rs")
    result.stdout.fnmatch_lines(
        ["SKIPPED*no adapter at *none-here: run `pytest --train` (or `make train`), or pass --recipe-adapter-path"]
    )


def test_report_only_verdicts_are_counted_in_the_summary(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        "from plugin.verdicts import report_only\n"
        "def test_reported():\n    report_only('vegan: bacon at 3:8')\n"
        "def test_plain_xfail():\n    import pytest; pytest.xfail('a known bug')\n"
        "def test_ok():\n    pass\n"
    )
    result = pytester.runpytest("-p", "plugin.plugin")
    result.stdout.fnmatch_lines(
        [
            "*- recipe verdicts -*",
            "1 verdicts reported, not gated, in this run profile (xfail with the evidence; not passes):",
            "  test_report_only_verdicts_are_counted_in_the_summary.py::test_reported",
        ]
    )
    result.assert_outcomes(passed=1, xfailed=2)


def test_no_report_only_section_without_such_verdicts(pytester: pytest.Pytester) -> None:
    result = run(pytester)
    assert "recipe verdicts" not in result.stdout.str()


def _adapter(pytester: pytest.Pytester, weights: bytes, config: str = '{"model": "embedded:smollm2-135m-instruct"}'):  # noqa: ANN202
    folder = pytester.mkdir("damaged")
    (folder / "adapters.safetensors").write_bytes(weights)
    (folder / "adapter_config.json").write_text(config)
    return folder


def _safetensors(n: int = 4) -> bytes:
    import json as _json

    header = _json.dumps({"w": {"dtype": "F32", "shape": [n], "data_offsets": [0, 4 * n]}}).encode()
    return len(header).to_bytes(8, "little") + header + b"\0" * (4 * n)


@pytest.mark.parametrize(
    ("weights", "config", "message"),
    [
        (_safetensors()[:-6], None, "damaged/adapters.safetensors: truncated (*)"),
        (b"\x13\x37" * 40, None, "damaged/adapters.safetensors: not a*safetensors file*"),
        (_safetensors(), "{not json", "damaged/adapter_config.json: not a valid adapter config*"),
    ],
    ids=["truncated", "random-bytes", "bad-config"],
)
def test_damaged_adapter_is_a_usage_error_naming_the_file(
    pytester: pytest.Pytester, weights: bytes, config: str | None, message: str
) -> None:
    folder = _adapter(pytester, weights, *([config] if config else []))
    result = run(pytester, "--recipe-adapter-path", str(folder))
    result.stderr.fnmatch_lines([f"*error: argument --recipe-adapter-path: *{message}"])
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_unwritable_gen_cache_is_a_usage_error_before_anything_runs(pytester: pytest.Pytester) -> None:
    (pytester.path / "afile").write_text("x")
    result = run(pytester, "--recipe-gen-cache", "afile/cache")
    result.stderr.fnmatch_lines(["ERROR: --recipe-gen-cache */afile/cache: not a writable folder (*)"])
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_damaged_profile_adapter_is_a_usage_error_at_start(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    folder = _adapter(pytester, _safetensors()[:-6])
    monkeypatch.setitem(
        run_profiles.RUN_PROFILES, "cpu", dataclasses.replace(run_profiles.RUN_PROFILES["cpu"], adapter_path=folder)
    )
    result = run(pytester, "--recipe-profile", "cpu")
    result.stderr.fnmatch_lines(["ERROR: *damaged/adapters.safetensors: truncated (*)"])
    assert result.ret == pytest.ExitCode.USAGE_ERROR
