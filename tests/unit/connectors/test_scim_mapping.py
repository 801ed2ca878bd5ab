"""SCIM users to employee entries: which e-mail, which name, where paging stops."""

from __future__ import annotations

import pytest

from connectors.config import ConfigError, parse_sources
from connectors.directory.config import parse_directory
from connectors.directory.scim import ScimPaging, display_name, primary_email
from connectors.http import JsonResponse


def test_the_primary_email_wins_then_the_work_one_then_the_first_then_the_user_name():
    home = {"value": "me@home.example", "type": "home"}
    work = {"value": "Me@Work.example", "type": "work"}
    primary = {"value": "boss@corp.example", "primary": True}
    assert primary_email({"emails": [home, work, primary]}) == "boss@corp.example"
    assert primary_email({"emails": [home, work]}) == "me@work.example"
    assert primary_email({"emails": [home]}) == "me@home.example"
    assert primary_email({"userName": "Ana@X.example", "emails": []}) == "ana@x.example"
    assert primary_email({"userName": "svc-backup"}) is None


def test_a_name_is_the_display_name_else_formatted_else_given_and_family():
    assert display_name({"displayName": "Ana Li", "name": {"givenName": "A"}}) == "Ana Li"
    assert display_name({"name": {"formatted": "Ms. Ana Li"}}) == "Ms. Ana Li"
    assert display_name({"name": {"givenName": "Ana", "familyName": "Li"}}) == "Ana Li"
    assert display_name({"name": "not an object"}) is None


def test_paging_advances_by_what_came_back_and_stops_at_the_total():
    paging = ScimPaging(size=100)
    assert paging.request(None).params == {"startIndex": 1, "count": 100}
    page = JsonResponse({"totalResults": 7, "Resources": []})
    assert paging.next_state(page, 3, None) == 4  # the server capped the page at 3
    assert paging.next_state(page, 3, 4) == 7  # startIndex is 1-based: the 7th is left
    assert paging.next_state(page, 1, 7) is None
    assert paging.next_state(JsonResponse({}), 0, 4) is None  # an empty page ends it too
    assert paging.next_state(JsonResponse({}), 2, 4) == 6  # no total: only an empty page ends


def test_sources_yaml_may_hold_the_directory_section():
    data = {
        "sources": [],
        "directory": {"base_url": "https://idp.example/scim/v2/", "roles": {"HR": "hr"}},
    }
    assert parse_sources(data) == []
    cfg = parse_directory(data)
    assert cfg is not None and cfg.base_url == "https://idp.example/scim/v2"
    assert cfg.external_id_attribute is None, "unset: the stored external ids stay"
    assert parse_directory({"sources": []}) is None
    with pytest.raises(ConfigError) as err:
        parse_directory({"directory": {"base_url": "https://x", "auth": {
            "type": "bearer", "token_env": "SCIM_TOKEN"}}}, environ={})  # fmt: skip
    assert err.value.errors == [
        "directory.auth.token_env: environment variable SCIM_TOKEN is not set"
    ]
