"""The model suite's fixed scenarios: the seed guide's test prompt and validation cases, and the golden set.

One source for ``tests_model`` (which judges them) and ``plugin.fill_cache`` (which generates them ahead of a
run, sharded across ranks).
"""

from __future__ import annotations

from plugin.diet.prompts import Scenario

# The seed guide's test prompt.
SEED_PROMPT = Scenario(
    "vegetarian",
    ("tomato", "onion", "garlic", "chicken breast", "olive oil", "pasta", "salt", "pepper"),
    "I want a healthy vegetarian dinner",
)

# The guide's validation cases: (name, diet, forbidden, allowed).
SEED_CASES = [
    ("Vegetarian with chicken breast", "vegetarian", ("chicken breast",), ("tomato", "pasta", "olive oil")),
    ("Vegan with dairy", "vegan", ("milk", "cheese", "eggs"), ("tofu", "vegetables")),
    ("Pescatarian with meat", "pescatarian", ("chicken", "beef", "pork"), ("salmon", "shrimp")),
]


def seed_case_scenario(diet: str, forbidden: tuple[str, ...], allowed: tuple[str, ...]) -> Scenario:
    return Scenario(diet, allowed + ("garlic", "salt") + forbidden, f"I want a {diet} dinner")


# The cases judged by their violation rate over seeded samples at the seed's temperature.
SAMPLED_CASES = {"test-prompt": SEED_PROMPT} | {
    diet: seed_case_scenario(diet, forbidden, allowed) for _, diet, forbidden, allowed in SEED_CASES
}

# Golden prompts, one per diet, snapshotted per model + adapter (tests_model/test_snapshots.py).
GOLDEN = [
    SEED_PROMPT,
    Scenario(
        "vegan",
        ("tofu", "broccoli", "soy sauce", "rice", "egg", "butter", "garlic"),
        "Something quick and filling for tonight, please",
    ),
    Scenario(
        "pescatarian", ("salmon", "bacon", "spinach", "lemon", "quinoa", "olive oil"), "I need a light pescatarian meal for two"
    ),
    Scenario(
        "gluten-free",
        ("spaghetti", "rice noodles", "shrimp", "bell pepper", "ginger", "sesame oil"),
        "Make me a warm, comforting meal",
    ),
    Scenario(
        "dairy-free",
        ("cheddar", "potato", "leek", "vegetable oil", "thyme", "black beans"),
        "Suggest a soup I can cook with what I have",
    ),
    Scenario(
        "nut-free",
        ("cashews", "chickpeas", "cauliflower", "curry powder", "basmati rice", "coconut oil"),
        "Can you create a curry recipe for me?",
    ),
    Scenario(
        "halal", ("pork", "chicken thighs", "corn tortilla", "onion", "cumin", "cilantro"), "Give me a family-friendly tacos"
    ),
    Scenario(
        "none",
        ("ground beef", "penne", "mushroom", "garlic", "parmesan", "olive oil"),
        "Plan a simple dinner using my ingredients",
    ),
]
