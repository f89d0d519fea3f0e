"""Synthesise the fine-tuning data: ``python -m training.dataset --profile v3``.

Writes ``train.jsonl`` and ``valid.jsonl`` (the seed's ``{"text": ...}`` records,
or ``{"messages": [...]}`` with ``--format chat``) deterministically from a seed.
Pantries mix allowed and forbidden lexicon items; answers are template recipes
that select only allowed pantry items, and every answer is checked by the oracle
as it is written: a violating or ungrounded answer is a bug and stops the run.
"""

from __future__ import annotations

import argparse
import functools
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plugin import diet
from plugin.chat import PHI3, ChatTemplate
from training.config import TrainConfig, load_config
from training.jsonl import SPLITS, write_jsonl_atomic
from training.recipes import ADJECTIVES, DISHES, REQUESTS, ROLES, Dish

# Roles a dish may leave out when the pantry or diet has nothing for them.
OPTIONAL = {"cheese", "herb", "seasoning", "aromatic"}
# How often a pantry holds no allowed protein at all, so the answer must do without one
# (the seed's test prompt: the only protein is chicken breast, FORBIDDEN for vegetarian).
NO_PROTEIN_RATE = 0.3
PROTEIN_DISPLAYS = {"meat", "fish", "seafood", "egg", "protein", "legume", "dairy", "nut"}
# Pantry filler that can never be mistaken for the recipe's protein.
FILLER_DISPLAYS = {"vegetable", "fruit", "herb", "seasoning", "condiment", "grain", "oil", "baking", "sweetener"}
FORMATS = ("text", "chat")


class SynthesisBug(AssertionError):
    """A generated answer failed the oracle: the generator is wrong, not the data."""


@dataclass(frozen=True)
class Scenario:
    diet: str
    pantry: tuple[str, ...]
    request: str


@dataclass(frozen=True)
class Sample:
    scenario: Scenario
    answer: str
    dish: str

    def messages(self) -> list[dict[str, str]]:
        s = self.scenario
        return [*diet.build_messages(list(s.pantry), s.diet, s.request), {"role": "assistant", "content": self.answer}]


def _allowed(name: str, preference: str) -> bool:
    # Answers avoid even disputed items (parmesan for vegetarians), so strict mode.
    return preference == diet.NO_DIET or not diet.is_forbidden(name, preference, strict=True)


def _forbidden(name: str, preference: str) -> bool:
    return preference != diet.NO_DIET and diet.is_forbidden(name, preference)


def _fill_roles(dish: Dish, preference: str, rng: random.Random, base: str, protein: bool) -> dict[str, list[str]] | None:
    used = {base}
    fills: dict[str, list[str]] = {}
    for role in dish.roles:
        if role == "protein" and not protein:
            continue
        pool = [c for c in ROLES[role] if c not in used and _allowed(c, preference)]
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
def _lexicon_pools(preference: str) -> tuple[list[str], list[str], list[str]]:
    """Forbidden items common in recipes, forbidden items from the whole lexicon, and filler."""
    common = sorted({n for pool in ROLES.values() for n in pool if _forbidden(n, preference)})
    rare = sorted(i.name for i in diet.ingredients() if _forbidden(i.name, preference))
    filler = sorted(i.name for i in diet.ingredients() if i.display in FILLER_DISPLAYS and _allowed(i.name, preference))
    return common, rare, filler


def _pantry(selected: list[str], preference: str, rng: random.Random, protein: bool) -> list[str]:
    common, rare, filler = _lexicon_pools(preference)
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


def make_sample(preference: str, rng: random.Random) -> Sample:
    for _ in range(100):
        dish = rng.choice(DISHES)
        bases = [b for b in dish.bases if _allowed(b, preference)]
        if not bases:
            continue
        base = rng.choice(bases)
        protein = rng.random() >= NO_PROTEIN_RATE
        fills = _fill_roles(dish, preference, rng, base, protein)
        if fills is None:
            continue
        steps = _steps(dish, base, fills)
        selected = [base] + [n for items in fills.values() for n in items]
        if not 4 <= len(steps) <= 8 or len(selected) > 12:
            continue
        main = (fills.get("protein") or fills.get("vegetable") or [base])[0]
        title = f"{rng.choice(ADJECTIVES)} {dish.title.format(main=main.title(), base=base.title())}"
        answer = diet.render_recipe(diet.Recipe(title=title, ingredients=selected, steps=steps, problems=[]))
        request = rng.choice(REQUESTS).format(diet=preference if preference != diet.NO_DIET else "tasty", dish=dish.kind)
        sample = Sample(Scenario(preference, tuple(_pantry(selected, preference, rng, protein)), request), answer, dish.kind)
        check_sample(sample)
        return sample
    raise SynthesisBug(f"no dish template fits the {preference} diet")


def check_sample(sample: Sample) -> None:
    """The oracle's verdicts on a synthetic answer; any finding is a generator bug."""
    s = sample.scenario
    recipe = diet.parse_recipe(sample.answer)
    problems = list(recipe.problems)
    if s.diet != diet.NO_DIET:
        problems += [f"violates {s.diet}: {v.term!r}" for v in diet.find_violations(sample.answer, s.diet, strict=True)]
    problems += [f"not in pantry: {name}" for name in diet.ungrounded(recipe, list(s.pantry))]
    selected = {diet.canonical(n) for n in recipe.ingredients}
    step_text = "\n".join(recipe.steps)
    problems += [
        f"step mentions unselected {m.term!r}"
        for m in diet.mentions(step_text)
        if m.ingredient not in selected and m.ingredient not in diet.STAPLES
    ]
    if problems:
        raise SynthesisBug(f"bad synthetic answer for {s}: {'; '.join(problems)}\n{sample.answer}")


def generate(count: int, seed: int, offset: int = 0) -> Iterator[Sample]:
    """``count`` samples with the preferences balanced round-robin."""
    rng = random.Random(f"{seed}:{offset}")
    for i in range(count):
        yield make_sample(diet.PREFERENCES[(i + offset) % len(diet.PREFERENCES)], rng)


def to_record(sample: Sample, template: ChatTemplate, fmt: str) -> dict[str, Any]:
    if fmt == "chat":
        return {"messages": sample.messages()}
    return {"text": template.apply_chat_template(sample.messages(), tokenize=False, add_generation_prompt=False)}


def _unique_samples(total: int, seed: int) -> list[Sample]:
    """Samples with distinct (pantry, request), so valid never repeats a train scenario."""
    seen: set[tuple[frozenset[str], str]] = set()
    out: list[Sample] = []
    offset = 0
    while len(out) < total:
        for sample in generate(total - len(out), seed, offset):
            key = (frozenset(sample.scenario.pantry), sample.scenario.request)
            if key not in seen:
                seen.add(key)
                out.append(sample)
        offset += total
    return out


def write_splits(out: Path, counts: dict[str, int], seed: int, template: ChatTemplate, fmt: str = "text") -> dict[str, int]:
    if fmt not in FORMATS:
        raise ValueError(f"--format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    samples = _unique_samples(sum(counts[s] for s in SPLITS), seed)
    written, start = {}, 0
    for split in SPLITS:
        chunk = samples[start : start + counts[split]]
        start += counts[split]
        written[split] = write_jsonl_atomic(out / f"{split}.jsonl", (to_record(s, template, fmt) for s in chunk))
    return written


def template_for(model: str) -> ChatTemplate:
    """The chat template data for ``model`` must be rendered with."""
    from plugin import chat, embedded

    if model == embedded.MODEL_ID:
        return chat.from_model_dir(embedded.ensure_model().path)
    if Path(model).is_dir():
        return chat.from_model_dir(Path(model))
    if "phi-3" in model.lower():
        return PHI3
    raise ValueError(f"{model}: unknown chat template; pass a local model folder")


def ensure_data(cfg: TrainConfig, template: ChatTemplate, say: Callable[[str], None] = print) -> bool:
    """Write the config's splits if they are missing; True when it wrote them."""
    if all((cfg.data_dir / f"{s}.jsonl").exists() for s in SPLITS):
        return False
    say(f"📦 {cfg.data_dir} is missing: generating {cfg.data_counts} samples (seed {cfg.seed})")
    write_splits(cfg.data_dir, cfg.data_counts, cfg.seed, template)
    return True


def main(argv: list[str] | None = None) -> int:
    from plugin import profiles

    parser = argparse.ArgumentParser(prog="python -m training.dataset", description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="cpu", choices=sorted(profiles.PROFILES))
    parser.add_argument("--config", help="LoRA YAML to take data, data_counts and seed from (default: the profile's)")
    parser.add_argument("--out", help="output folder (default: the config's data)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="text: the seed's rendered records; chat: messages")
    parser.add_argument("--seed", type=int)
    args = parser.parse_args(argv)
    profile = profiles.get(args.profile)
    cfg = load_config(args.config or profile.config)
    out = Path(args.out) if args.out else cfg.data_dir
    seed = cfg.seed if args.seed is None else args.seed
    try:
        written = write_splits(out, cfg.data_counts, seed, template_for(cfg.model), args.format)
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {written['train']} train / {written['valid']} valid {args.format} records to {out} (seed {seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
