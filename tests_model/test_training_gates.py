"""Loss targets and overfitting, from the metrics saved with the adapter under test."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def result(recipe_adapter):
    if not recipe_adapter.summary:
        pytest.skip(f"{recipe_adapter.path or 'the base model'} has no training_config_v3.json with metrics")
    return recipe_adapter.result, recipe_adapter.summary["config"]["targets"]


@pytest.mark.parametrize("loss", ["train_loss", "val_loss"])
def test_final_loss_meets_target(loss: str, result, recipe_gate) -> None:
    metrics, targets = result
    final = metrics[f"final_{loss}"]
    assert final is not None, f"no final {loss} recorded (is val_batches 0 in the training config?)"
    gate = recipe_gate.limit(f"final_{loss}", final, targets[loss], "loss", "<")
    assert gate.passed, f"final {loss} {final:.3f} misses the target < {targets[loss]}"


def test_no_overfitting(result) -> None:
    metrics, _ = result
    assert not metrics["overfitting"], "validation loss rose while training loss fell: " + "; ".join(metrics["warnings"])
