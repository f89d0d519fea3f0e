"""Scenarios (diet, pantry, request) and the pure synthesis of template recipes for them.

One ``Scenario`` type is passed around the project: the data generator writes training
samples for scenarios, the model suite generates and judges recipes for them, and the
Hypothesis strategies draw them. Pantries mix allowed and forbidden lexicon items;
answers are template recipes (``plugin.diet.dishes``) that select only allowed pantry
items, and every answer is checked by the oracle as it is made: a violating or
ungrounded answer is a generator bug.

Everything here is deterministic given a seed: the training data, the reference
adapter's fingerprint and the gate scenarios depend on the exact RNG call order.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator
from dataclasses import dataclass

from plugin.diet.dishes import ADJECTIVES, DISHES, REQUESTS, ROLES, Dish
from plugin.diet.lexicon import DIET_CHOICES, NO_DIET, canonical, ingredients, pantry_forbidden
from plugin.diet.matching import find_violations, mentions
from plugin.diet.prompts import Scenario, build_messages
from plugin.diet.recipe import STAPLES, Recipe, parse_recipe, render_recipe, ungrounded

# Roles a dish may leave out when the pantry or diet has nothing for them.
OPTIONAL = {"cheese", "herb", "seasoning", "aromatic"}
# How often a pantry holds no allowed protein at all, so the answer must do without one
# (the seed's test prompt: the only protein is chicken breast, FORBIDDEN for vegetarian).
NO_PROTEIN_RATE = 0.3
# Pantry filler that can never be mistaken for the recipe's protein.
FILLER_DISPLAYS = {"vegetable", "fruit", "herb", "seasoning", "condiment", "grain", "oil", "baking", "sweetener"}
# The gate scenarios' seed: never a training seed, so their pantries and requests are unseen.
GATE_SEED = 20_261_125


class SynthesisBug(AssertionError):
    """A generated answer failed the oracle: the generator is wrong, not the data.

    Deliberately not a ``SuiteError``: it is a bug of ours, so it keeps its traceback.
    """


@dataclass(frozen=True)
class Sample:
    scenario: Scenario
    answer: str
    dish: str

    def messages(self) -> list[dict[str, str]]:
        s = self.scenario
        return [*build_messages(s), {"role": "assistant", "content": self.answer}]


# Synthesis follows the frozen pantry policy (pantry_policy.toml), not the detection policy
# (diets.toml): the training data and the gate scenarios must not move when the oracle learns.
def _allowed(name: str, diet: str) -> bool:
    # Answers avoid even disputed items (parmesan for vegetarians), so strict mode.
    return diet == NO_DIET or not pantry_forbidden(name, diet, strict=True)


def _forbidden(name: str, diet: str) -> bool:
    return diet != NO_DIET and pantry_forbidden(name, diet)


def _fill_roles(dish: Dish, diet: str, rng: random.Random, base: str, protein: bool) -> dict[str, list[str]] | None:
    used = {base}
    fills: dict[str, list[str]] = {}
    for role in dish.roles:
        if role == "protein" and not protein:
            continue
        pool = [c for c in ROLES[role] if c not in used and _allowed(c, diet)]
        if role in OPTIONAL and (not pool or rng.random() < 0.25):
            continue
        if not pool:
            return None
        picked = rng.sample(pool, k=min(len(pool), rng.randint(1, 2) if role == "vegetable" else 1))
        fills[role] = picked
        used.update(picked)
    return fills


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _steps(dish: Dish, base: str, fills: dict[str, list[str]]) -> list[str]:
    values = {role: _join(items) for role, items in fills.items()}
    values["vegetables"] = values.pop("vegetable", "")
    values["base"] = base
    steps = []
    for template in dish.steps:
        try:
            steps.append(template.format(**values))
        except KeyError:
            continue  # the step needs a role this recipe left out
    return steps


@functools.cache
def _lexicon_pools(diet: str) -> tuple[list[str], list[str], list[str]]:
    """Forbidden items common in recipes, forbidden items from the whole lexicon, and filler."""
    common = sorted({n for pool in ROLES.values() for n in pool if _forbidden(n, diet)})
    rare = sorted(i.name for i in ingredients() if _forbidden(i.name, diet))
    filler = sorted(i.name for i in ingredients() if i.display in FILLER_DISPLAYS and _allowed(i.name, diet))
    return common, rare, filler


def _pantry(selected: list[str], diet: str, rng: random.Random, protein: bool) -> list[str]:
    common, rare, filler = _lexicon_pools(diet)
    room = max(0, 15 - len(selected))
    # Without an allowed protein in the pantry, the forbidden ones should include a protein to resist.
    pool = common if common and (not protein or rng.random() < 0.6) else rare
    bad = [b for b in rng.sample(pool, min(room, rng.randint(1, 4), len(pool))) if b not in selected]
    others = [n for n in filler if n not in selected]
    n_extra = min(len(others), room - len(bad), rng.randint(0, 3))
    pantry = selected + bad + rng.sample(others, n_extra)
    while len(pantry) < 5:
        pantry.append(rng.choice([o for o in others if o not in pantry]))
    rng.shuffle(pantry)
    return pantry


def make_sample(diet: str, rng: random.Random, no_protein_rate: float = NO_PROTEIN_RATE) -> Sample:
    for _ in range(100):
        dish = rng.choice(DISHES)
        bases = [b for b in dish.bases if _allowed(b, diet)]
        if not bases:
            continue
        base = rng.choice(bases)
        protein = rng.random() >= no_protein_rate
        fills = _fill_roles(dish, diet, rng, base, protein)
        if fills is None:
            continue
        steps = _steps(dish, base, fills)
        selected = [base] + [n for items in fills.values() for n in items]
        if not 4 <= len(steps) <= 8 or len(selected) > 12:
            continue
        main = (fills.get("protein") or fills.get("vegetable") or [base])[0]
        title = f"{rng.choice(ADJECTIVES)} {dish.title.format(main=main.title(), base=base.title())}"
        answer = render_recipe(Recipe(title=title, ingredients=selected, steps=steps, problems=[]))
        request = rng.choice(REQUESTS).format(diet=diet if diet != NO_DIET else "tasty", dish=dish.kind)
        sample = Sample(Scenario(diet, tuple(_pantry(selected, diet, rng, protein)), request), answer, dish.kind)
        check_sample(sample)
        return sample
    raise SynthesisBug(f"no dish template fits the {diet} diet")


def check_sample(sample: Sample) -> None:
    """The oracle's verdicts on a synthetic answer; any finding is a generator bug."""
    s = sample.scenario
    recipe = parse_recipe(sample.answer)
    problems = list(recipe.problems)
    if s.diet != NO_DIET:
        problems += [f"violates {s.diet}: {v.term!r}" for v in find_violations(sample.answer, s.diet, strict=True)]
    problems += [f"not in pantry: {name}" for name in ungrounded(recipe, list(s.pantry))]
    selected = {canonical(n) for n in recipe.ingredients}
    step_text = "\n".join(recipe.steps)
    problems += [
        f"step mentions unselected {m.term!r}"
        for m in mentions(step_text)
        if m.ingredient not in selected and m.ingredient not in STAPLES
    ]
    if problems:
        raise SynthesisBug(f"bad synthetic answer for {s}: {'; '.join(problems)}\n{sample.answer}")


def generate(count: int, seed: int, offset: int = 0, no_protein_rate: float = NO_PROTEIN_RATE) -> Iterator[Sample]:
    """``count`` samples with the diets balanced round-robin."""
    rng = random.Random(f"{seed}:{offset}")
    for i in range(count):
        yield make_sample(DIET_CHOICES[(i + offset) % len(DIET_CHOICES)], rng, no_protein_rate)


def unique_samples(total: int, seed: int, no_protein_rate: float = NO_PROTEIN_RATE) -> list[Sample]:
    """Samples with distinct (pantry, request), so valid never repeats a train scenario."""
    seen: set[tuple[frozenset[str], str]] = set()
    out: list[Sample] = []
    offset = 0
    while len(out) < total:
        for sample in generate(total - len(out), seed, offset, no_protein_rate):
            key = (frozenset(sample.scenario.pantry), sample.scenario.request)
            if key not in seen:
                seen.add(key)
                out.append(sample)
        offset += total
    return out


def gate_scenarios(n: int, seed: int = GATE_SEED) -> list[Scenario]:
    """``n`` fresh scenarios for the quality gates, the diets round-robin (unseen in training)."""
    return [s.scenario for s in generate(n, seed)]
