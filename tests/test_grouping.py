"""Cross-validation folds: grouped by conversation (the default) or by brand, so that a
figure can say how the rules do on a company they never saw."""

import numpy as np
import pytest

from cslint.learning.grouping import assign_folds, by_brand
from cslint.model import Conversation, Turn


def conv(cid: str, *customer: str, meta: dict | None = None) -> Conversation:
    turns = [Turn(speaker="customer", text=t) for t in customer] + [Turn(speaker="agent", text="@123 Hi!")]
    return Conversation(id=cid, path="x.jsonl", turns=turns, meta=meta or {})


def test_brand_is_the_handle_customers_address_most():
    c = conv("a", "@AppleSupport my phone died", "@AppleSupport @Verizon still dead")
    assert by_brand(c) == "@applesupport"


def test_brand_field_wins_and_anonymised_ids_are_not_brands():
    assert by_brand(conv("a", "@Tesco hi", meta={"brand": "Sainsbury's"})) == "brand:sainsbury's"
    # "@123456" is an anonymised customer id, an e-mail address is not a handle.
    assert by_brand(conv("b", "@123456 thanks, mail me at jo@example.com")) == "conversation:b"


def test_agent_mentions_do_not_make_a_brand():
    c = Conversation(id="a", path="x", turns=[Turn(speaker="agent", text="Ask @Dyson please")])
    assert by_brand(c) == "conversation:a"


def test_a_brand_never_spans_two_folds_and_folds_stay_even():
    brands = ["@Acme", "@Bolt", "@Cove", "@Dune", "@Echo", "@Fern"]
    conversations = [conv(f"{b}{i}", f"{b} help") for b in brands for i in range(brands.index(b) + 2)]
    fold_of = assign_folds(conversations, 3, seed=4, group_by="brand")
    for brand in brands:
        assert len({fold_of[c.id] for c in conversations if c.id.startswith(brand)}) == 1
    sizes = np.bincount(list(fold_of.values()), minlength=3)
    assert sizes.max() - sizes.min() <= 7  # the largest brand has 7 conversations
    assert set(fold_of.values()) == {0, 1, 2}


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_by_conversation_splits_evenly_and_the_seed_decides(seed):
    conversations = [conv(f"c{i}", "@Shop hi") for i in range(23)]
    fold_of = assign_folds(conversations, 5, seed)
    sizes = np.bincount(list(fold_of.values()), minlength=5)
    assert sizes.max() - sizes.min() <= 1
    assert fold_of == assign_folds(list(reversed(conversations)), 5, seed)  # order of input does not matter
    assert fold_of != assign_folds(conversations, 5, seed + 100)
