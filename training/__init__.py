"""LoRA training for the recipe model: configs, data synthesis, trainer, pre-flight."""
