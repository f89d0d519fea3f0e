"""Recipe templates by dish type, for synthesising training answers.

Each dish names the roles it needs (a base, a protein, vegetables, an aromatic,
a fat, seasonings, a herb) with candidate ingredients from the lexicon, and
4-8 step templates that mention only the ingredients the recipe selected.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = {
    "protein": [
        "chicken breast",
        "chicken thighs",
        "ground beef",
        "steak",
        "lamb",
        "pork",
        "bacon",
        "ham",
        "chorizo",
        "salmon",
        "tuna",
        "cod",
        "shrimp",
        "tilapia",
        "tofu",
        "tempeh",
        "chickpeas",
        "black beans",
        "lentils",
        "kidney beans",
        "egg",
        "paneer",
        "halloumi",
        "edamame",
        "seitan",
        "turkey",
    ],
    "vegetable": [
        "tomato",
        "onion",
        "bell pepper",
        "zucchini",
        "spinach",
        "broccoli",
        "carrot",
        "mushroom",
        "eggplant",
        "cauliflower",
        "kale",
        "sweet potato",
        "potato",
        "green beans",
        "peas",
        "corn",
        "cabbage",
        "cucumber",
        "asparagus",
        "butternut squash",
        "snap peas",
        "bok choy",
        "celery",
        "leek",
    ],
    "aromatic": ["garlic", "onion", "ginger", "shallot", "green onion"],
    "fat": ["olive oil", "vegetable oil", "sesame oil", "coconut oil", "butter", "ghee", "avocado oil"],
    "seasoning": [
        "salt",
        "black pepper",
        "cumin",
        "paprika",
        "chili powder",
        "turmeric",
        "oregano",
        "soy sauce",
        "curry powder",
        "red pepper flakes",
    ],
    "herb": ["basil", "parsley", "cilantro", "thyme", "rosemary", "dill", "mint", "chives"],
    "cheese": ["parmesan", "feta", "cheddar", "mozzarella", "goat cheese"],
}


@dataclass(frozen=True)
class Dish:
    kind: str
    title: str  # "{main} Pasta"
    bases: tuple[str, ...]
    roles: tuple[str, ...]  # roles beyond the base, each filled when the pantry allows
    steps: tuple[str, ...]  # templates over {base} {protein} {vegetables} {aromatic} {fat} {seasoning} {herb} {cheese}


DISHES = (
    Dish(
        "pasta",
        "{base} with {main}",
        ("pasta", "spaghetti", "penne", "rice noodles", "chickpea pasta"),
        ("protein", "vegetable", "aromatic", "fat", "seasoning", "herb"),
        (
            "Cook the {base} in salted boiling water until tender, then drain",
            "Warm the {fat} in a large pan over medium heat",
            "Sauté the {aromatic} until fragrant, about 2 minutes",
            "Add the {protein} and cook through",
            "Stir in the {vegetables} and simmer for 8 minutes",
            "Season with {seasoning}",
            "Toss with the {base}, top with {herb} and serve",
        ),
    ),
    Dish(
        "stir-fry",
        "{main} Stir-Fry",
        ("rice", "jasmine rice", "brown rice", "rice noodles"),
        ("protein", "vegetable", "aromatic", "fat", "seasoning"),
        (
            "Cook the {base} and keep it warm",
            "Heat the {fat} in a wok over high heat",
            "Stir-fry the {protein} until browned, then set aside",
            "Add the {aromatic} and {vegetables} and stir-fry for 4 minutes",
            "Return the {protein}, season with {seasoning} and toss",
            "Serve over the {base}",
        ),
    ),
    Dish(
        "salad",
        "{main} Salad",
        ("quinoa", "lettuce", "arugula", "couscous", "farro"),
        ("protein", "vegetable", "herb", "fat", "seasoning", "cheese"),
        (
            "Prepare the {base} and let it cool",
            "Chop the {vegetables} into bite-sized pieces",
            "Cook or drain the {protein}",
            "Whisk the {fat} with {seasoning} for a dressing",
            "Combine everything in a bowl with the {herb}",
            "Finish with the {cheese} and serve",
        ),
    ),
    Dish(
        "soup",
        "{main} Soup",
        ("potato", "lentils", "rice", "barley", "sweet potato"),
        ("protein", "vegetable", "aromatic", "fat", "seasoning", "herb"),
        (
            "Heat the {fat} in a large pot",
            "Soften the {aromatic} for 3 minutes",
            "Add the {vegetables} and {base} and cover with water",
            "Simmer for 20 minutes until tender",
            "Add the {protein} and cook for 5 more minutes",
            "Season with {seasoning}",
            "Ladle into bowls and garnish with {herb}",
        ),
    ),
    Dish(
        "curry",
        "{main} Curry",
        ("basmati rice", "rice", "naan", "brown rice"),
        ("protein", "vegetable", "aromatic", "fat", "seasoning", "herb"),
        (
            "Cook the {base} and keep it warm",
            "Heat the {fat} in a deep pan",
            "Fry the {aromatic} with the {seasoning} for 1 minute",
            "Add the {protein} and brown it on all sides",
            "Add the {vegetables} and a splash of water, then simmer for 15 minutes",
            "Garnish with {herb} and serve with the {base}",
        ),
    ),
    Dish(
        "omelette",
        "{main} Omelette",
        ("egg",),
        ("vegetable", "fat", "seasoning", "herb", "cheese"),
        (
            "Beat the {base} with {seasoning}",
            "Dice the {vegetables}",
            "Heat the {fat} in a non-stick pan",
            "Cook the {vegetables} for 3 minutes",
            "Pour in the {base} and cook until almost set",
            "Add the {cheese} and {herb}, fold and serve",
        ),
    ),
    Dish(
        "tacos",
        "{main} Tacos",
        ("corn tortilla", "flour tortilla", "tortilla"),
        ("protein", "vegetable", "aromatic", "fat", "seasoning", "herb"),
        (
            "Warm the {fat} in a skillet",
            "Cook the {aromatic} until soft",
            "Add the {protein} with {seasoning} and cook for 6 minutes",
            "Slice the {vegetables}",
            "Warm the {base} in a dry pan",
            "Fill the {base} and top with {herb}",
        ),
    ),
    Dish(
        "grain bowl",
        "{main} Grain Bowl",
        ("quinoa", "brown rice", "farro", "bulgur", "millet"),
        ("protein", "vegetable", "fat", "seasoning", "herb"),
        (
            "Cook the {base} according to package directions",
            "Roast the {vegetables} with the {fat} at 200C for 20 minutes",
            "Cook the {protein} with {seasoning}",
            "Divide the {base} between bowls",
            "Top with the {vegetables}, {protein} and {herb}",
        ),
    ),
    Dish(
        "bake",
        "Baked {main}",
        ("potato", "sweet potato", "polenta", "breadcrumbs"),
        ("protein", "vegetable", "aromatic", "fat", "seasoning", "cheese"),
        (
            "Preheat the oven to 190C",
            "Slice the {base} and the {vegetables}",
            "Toss with the {fat}, {aromatic} and {seasoning}",
            "Layer in a baking dish with the {protein}",
            "Top with the {cheese}",
            "Bake for 30 minutes until golden",
        ),
    ),
)

ADJECTIVES = ("Simple", "Rustic", "Quick", "Hearty", "Fresh", "Golden", "Zesty", "Weeknight", "Garden", "Cozy")

REQUESTS = (
    "I want a healthy {diet} dinner",
    "What can I make for lunch with my pantry?",
    "Something quick and filling for tonight, please",
    "Suggest a {dish} I can cook with what I have",
    "I'm hungry, give me a {diet} recipe",
    "Make me a warm, comforting meal",
    "I need a light {diet} meal for two",
    "Can you create a {dish} recipe for me?",
    "Plan a simple dinner using my ingredients",
    "I have 30 minutes. What {diet} dish can I make?",
    "Give me a family-friendly {dish}",
    "What's a good {diet} option for meal prep?",
)
