"""Handles and addresses of accounts reduce to one key whatever way a citizen writes them."""

from __future__ import annotations

import pytest

from pregonero.public.official import account_keys, identity, profile

SAME_ACCOUNT = [
    # (what a citizen pastes, the key)
    ("https://x.com/Vilanova", "x:vilanova"),
    ("http://twitter.com/vilanova/", "x:vilanova"),
    ("https://mobile.twitter.com/vilanova?ref=share", "x:vilanova"),
    ("www.x.com/VILANOVA", "x:vilanova"),
    ("x.com/vilanova/status/123", "x:vilanova"),
    ("https://www.instagram.com/vilanova.oficial/", "instagram:vilanova.oficial"),
    ("instagram.com/Vilanova.Oficial", "instagram:vilanova.oficial"),
    ("https://m.facebook.com/AjuntamentVilanova", "facebook:ajuntamentvilanova"),
    ("https://www.facebook.com/profile.php?id=1234567", "facebook:1234567"),
    ("https://facebook.com/pages/Ajuntament/1234567/", "facebook:1234567"),
    ("https://t.me/vilanova_info", "telegram:vilanova_info"),
    ("telegram.me/Vilanova_Info/", "telegram:vilanova_info"),
    ("https://bsky.app/profile/vilanova.bsky.social", "bluesky:vilanova.bsky.social"),
    ("https://bsky.app/profile/did:plc:abc123", "bluesky:did:plc:abc123"),
    ("did:plc:ABC123", "bluesky:did:plc:abc123"),
    ("@vilanova@mastodon.social", "fediverse:vilanova@mastodon.social"),
    ("Vilanova@Mastodon.Social", "fediverse:vilanova@mastodon.social"),
    ("https://mastodon.social/@Vilanova", "fediverse:vilanova@mastodon.social"),
    ("https://mastodon.social/users/vilanova/", "fediverse:vilanova@mastodon.social"),
    ("https://www.youtube.com/@AjVilanova", "youtube:@ajvilanova"),
    ("https://m.youtube.com/@ajvilanova/videos", "youtube:@ajvilanova"),
    ("https://www.youtube.com/channel/UCabcDEF", "youtube:channel/UCabcDEF"),
    ("https://www.tiktok.com/@vilanova", "tiktok:vilanova"),
    ("https://es.linkedin.com/company/ajuntament-vilanova/", "linkedin:company/ajuntament-vilanova"),
    ("https://wa.me/34600111222", "whatsapp:34600111222"),
    ("+34 600 11 12 22", "whatsapp:34600111222"),
    ("#plenari:matrix.vilanova.example", "matrix:#plenari:matrix.vilanova.example"),
    ("https://matrix.to/#/#plenari:matrix.vilanova.example", "matrix:#plenari:matrix.vilanova.example"),
    ("@Vilanova", "name:vilanova"),
    ("vilanova", "name:vilanova"),
    ("  <@vilanova>  ", "name:vilanova"),
    ("https://www.vilanova.example/", "url:vilanova.example"),
    ("HTTP://Vilanova.example/Noticies/", "url:vilanova.example/noticies"),
]


@pytest.mark.parametrize(("text", "key"), SAME_ACCOUNT)
def test_a_handle_or_address_reduces_to_its_key(text, key):
    assert identity(text) == key


@pytest.mark.parametrize("text", ["", "   ", "hello world", "did:foo:bar", "https://", "@", "a" * 600])
def test_what_is_neither_a_handle_nor_an_address_has_no_key(text):
    assert identity(text) is None


def test_a_network_address_does_not_match_the_same_name_on_another_network():
    instagram = account_keys("@vilanova", "https://www.instagram.com/vilanova/")

    assert identity("https://x.com/vilanova") not in instagram
    assert identity("@vilanova") in instagram


def test_a_bluesky_account_answers_to_its_handle_its_did_and_its_domain():
    handle, url, extra = profile("bluesky", {"handle": "vilanova.bsky.social", "did": "did:plc:abc123"})
    keys = account_keys(handle, url, *extra)

    for pasted in ("@vilanova.bsky.social", "vilanova.bsky.social", "did:plc:abc123", url):
        assert identity(pasted) in keys


@pytest.mark.parametrize(
    ("connector", "config", "expected"),
    [
        (
            "mastodon",
            {"account": "@vilanova@mastodon.social", "account_url": "https://mastodon.social/@vilanova"},
            ("@vilanova@mastodon.social", "https://mastodon.social/@vilanova"),
        ),
        (
            "mastodon",
            {"account": "@vilanova@social.example"},
            ("@vilanova@social.example", "https://social.example/@vilanova"),
        ),
        ("x", {"username": "Vilanova", "account": "@Vilanova"}, ("@Vilanova", "https://x.com/Vilanova")),
        ("instagram", {"ig_username": "vilanova"}, ("@vilanova", "https://www.instagram.com/vilanova/")),
        ("telegram", {"chat_username": "vilanova_info"}, ("@vilanova_info", "https://t.me/vilanova_info")),
        (
            "whatsapp",
            {"display_phone_number": "+34 600 111 222"},
            ("+34 600 111 222", "https://wa.me/34600111222"),
        ),
        ("telegram", {"chat": "-100123", "account": "@vilanova_bot → Avisos"}, ("", "")),
        (
            "matrix",
            {"room": "#avisos:vilanova.example", "account": "@bot:vilanova.example → #avisos"},
            (
                "#avisos:vilanova.example",
                "https://matrix.to/#/#avisos:vilanova.example",
            ),
        ),
    ],
)
def test_a_connected_channel_gives_its_handle_and_profile_address(connector, config, expected):
    handle, url, _extra = profile(connector, config)

    assert (handle, url) == expected


def test_the_profile_address_of_a_channel_answers_to_the_same_key_as_its_handle():
    handle, url, _extra = profile("mastodon", {"account": "@vilanova@mastodon.social"})

    assert identity(handle) == identity(url)
