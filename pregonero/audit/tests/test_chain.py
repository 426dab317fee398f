"""The pure hashing and verification of audit chains."""

from datetime import UTC, datetime

from pregonero.audit.chain import GENESIS, entry_hash, verify_chain


def _entries(count: int) -> list[dict]:
    entries, previous = [], GENESIS
    for seq in range(1, count + 1):
        fields = {
            "id": seq,
            "chain": "org:1",
            "seq": seq,
            "at": datetime(2026, 3, 1, 10, seq, tzinfo=UTC),
            "organisation_id": 1,
            "actor_id": 7,
            "actor_label": "ana@vilanova.example",
            "action": "department.created",
            "object_type": "accounts.department",
            "object_id": str(seq),
            "object_repr": f"Departament {seq} · «Urbanisme» ✓",
            "outcome": "success",
            "changes": {"name": [None, f"Departament {seq}"]},
            "details": {"ip": "127.0.0.1"},
            "prev_hash": previous,
        }
        fields["hash"] = previous = entry_hash(fields)
        entries.append(fields)
    return entries


def test_an_untouched_chain_verifies():
    assert verify_chain("org:1", _entries(5), head_seq=5) is None


def test_the_hash_does_not_depend_on_key_order_in_changes():
    entry = _entries(1)[0]
    reordered = {**entry, "changes": dict(reversed(list({"b": 1, "a": 2}.items())))}
    original = {**entry, "changes": {"a": 2, "b": 1}}
    assert entry_hash(reordered) == entry_hash(original)


def test_an_altered_field_is_reported_at_its_entry():
    entries = _entries(5)
    entries[2]["object_repr"] = "something else"
    broken = verify_chain("org:1", entries, head_seq=5)
    assert (broken.seq, broken.reason, broken.entry_id) == (3, "altered", 3)


def test_an_altered_time_is_reported():
    entries = _entries(3)
    entries[1]["at"] = datetime(2026, 3, 1, 11, 0, tzinfo=UTC)
    assert verify_chain("org:1", entries, head_seq=3).seq == 2


def test_a_removed_entry_in_the_middle_is_reported():
    entries = _entries(5)
    del entries[1]
    broken = verify_chain("org:1", entries, head_seq=5)
    assert (broken.seq, broken.reason) == (2, "missing")


def test_a_removed_last_entry_is_reported_through_the_chain_head():
    broken = verify_chain("org:1", _entries(5)[:4], head_seq=5)
    assert (broken.seq, broken.reason) == (5, "missing")


def test_a_rehashed_entry_is_reported_as_relinked_at_the_next_one():
    entries = _entries(4)
    entries[1]["object_repr"] = "forged"
    entries[1]["hash"] = entry_hash(entries[1])
    broken = verify_chain("org:1", entries, head_seq=4)
    assert (broken.seq, broken.reason) == (3, "relinked")
