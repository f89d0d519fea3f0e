"""The seed's V3 system prompt."""

from __future__ import annotations

import re

import pytest

from plugin.diet import DIET_CHOICES, DIETS, Scenario, build_messages, pantry_line, render_prompt
from plugin.diet.prompts import SEED_INSTRUCTION_2, instruction_2, system_prompt

SEED_PANTRY = ["tomato", "onion", "garlic", "chicken breast", "olive oil", "pasta", "salt", "pepper"]
SEED_PROMPT = """<|system|>
You are a creative recipe generator with access to the user's pantry inventory.

Available ingredients in pantry:
- tomato (vegetable)
- onion (vegetable)
- garlic (vegetable)
- chicken breast (meat) [FORBIDDEN for vegetarian]
- olive oil (oil)
- pasta (grain)
- salt (seasoning)
- pepper (seasoning)

User dietary preference: vegetarian

Instructions:
1. Based on the user's request, select appropriate ingredients from the available inventory
2. IMPORTANT: Respect dietary restrictions - do NOT select meat/fish for vegetarian recipes
3. Generate a complete, practical recipe with clear steps<|end|>
<|user|>
I want a healthy vegetarian dinner<|end|>
<|assistant|>
"""


class Phi3Template:
    """Stand-in for the Phi-3 tokenizer's chat template (no transformers needed)."""

    def apply_chat_template(self, messages, tokenize=True, add_generation_prompt=False):
        assert tokenize is False
        text = "".join(f"<|{m['role']}|>\n{m['content']}<|end|>\n" for m in messages)
        return text + ("<|assistant|>\n" if add_generation_prompt else "")


def test_reproduces_seed_prompt_exactly():
    assert render_prompt(Phi3Template(), Scenario("vegetarian", SEED_PANTRY, "I want a healthy vegetarian dinner")) == SEED_PROMPT


def test_messages_shape():
    msgs = build_messages(Scenario("vegan", ("tofu",), "Dinner please"))
    assert [m["role"] for m in msgs] == ["system", "user"] and msgs[1]["content"] == "Dinner please"


@pytest.mark.parametrize("diet", DIET_CHOICES)
def test_every_diet_renders(diet):
    text = system_prompt(["bacon", "tofu", "peanut butter", "bread", "milk", "beer"], diet)
    assert f"User dietary preference: {diet}" in text
    marked = re.findall(r"^- (.+) \(.+\) \[FORBIDDEN for " + re.escape(diet) + r"\]$", text, re.M)
    assert ("tofu" in marked) is False
    if diet == "none":
        assert "FORBIDDEN" not in text
    else:
        assert marked, diet
        assert instruction_2(diet) in text


def test_pantry_line_markers():
    assert pantry_line("Peanut Butter", "nut-free") == "- Peanut Butter (nut) [FORBIDDEN for nut-free]"
    assert pantry_line("honey", "vegan") == "- honey (sweetener) [FORBIDDEN for vegan]"  # The Vegan Society
    assert pantry_line("sugar", "vegan") == "- sugar (sweetener)"  # disputed (bone char): not FORBIDDEN
    assert pantry_line("shrimp", "pescatarian") == "- shrimp (seafood)"


def test_unknown_pantry_item_is_clear_value_error():
    with pytest.raises(ValueError, match="unobtainium"):
        build_messages(Scenario("vegan", ("tomato", "unobtainium"), "x"))


def test_unknown_diet():
    with pytest.raises(ValueError, match="keto"):
        build_messages(Scenario("keto", ("tomato",), "x"))


def test_instruction_2_variants():
    assert instruction_2("vegetarian") == SEED_INSTRUCTION_2
    assert instruction_2("halal", seed_verbatim=True) == SEED_INSTRUCTION_2
    for d in DIETS:
        assert instruction_2(d).startswith("2. IMPORTANT: Respect dietary restrictions - do NOT select ")
