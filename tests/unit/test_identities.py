"""Looking identities up by key and by subject."""

from __future__ import annotations

from foyer.identities import User, UserDirectory, hash_key


def test_service_identities_are_found_by_subject_without_a_key() -> None:
    directory = UserDirectory(
        [
            User(email="ada@example.com", key_hashes=[hash_key("k")]),
            User(email="Scheduler@Example.com", groups=["engineering"]),
        ]
    )

    found = directory.find("scheduler@example.com")
    assert found is not None and found.groups == ["engineering"]
    assert directory.find("nobody@example.com") is None
    assert directory.authenticate("k") is not None
