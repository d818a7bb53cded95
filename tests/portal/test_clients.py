"""The client's address behind the load balancer: believed only from proxies the operator
listed, so no one can pass for someone else, lock an officer out or dodge a rate limit."""

import pytest
from django.urls import reverse

from portal.clients import client_address
from tests.factories import UserFactory

PROXY = "10.0.0.5"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]


def forwarded(rf, chain: str, remote: str = PROXY):
    return rf.get("/", HTTP_X_FORWARDED_FOR=chain, REMOTE_ADDR=remote)


def test_without_listed_proxies_the_header_is_ignored(rf, settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(forwarded(rf, "198.51.100.1", remote="203.0.113.9")) == "203.0.113.9"


def test_a_request_not_from_a_listed_proxy_cannot_name_its_address(rf, behind_proxy):
    request = forwarded(rf, "198.51.100.1", remote="203.0.113.9")
    assert client_address(request) == "203.0.113.9"


def test_behind_the_proxy_the_address_it_saw_is_the_client(rf, behind_proxy):
    assert client_address(forwarded(rf, "203.0.113.9")) == "203.0.113.9"


def test_what_the_client_wrote_itself_is_not_believed(rf, behind_proxy):
    # The client sent "X-Forwarded-For: 198.51.100.1"; our proxy appended the real address.
    assert client_address(forwarded(rf, "198.51.100.1, 203.0.113.9")) == "203.0.113.9"


def test_a_chain_of_listed_proxies_is_walked_back(rf, behind_proxy):
    assert client_address(forwarded(rf, "198.51.100.1, 203.0.113.9, 10.0.0.7")) == "203.0.113.9"


@pytest.mark.parametrize("chain", ["", "garbage", " , ,", "not-an-ip, 10.0.0.9"])
def test_odd_headers_never_fail(rf, behind_proxy, chain):
    assert client_address(forwarded(rf, chain))


def sign_in(client, username, password, address):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.mark.django_db
def test_wrong_passwords_lock_only_the_address_they_came_from(client, behind_proxy, settings):
    settings.AXES_FAILURE_LIMIT = 5
    officer = UserFactory(username="officer", is_staff=True)
    officer.set_password("the-right-password")
    officer.save()
    for _ in range(6):
        # Someone else, claiming to be the officer's address: the proxy appends the real one.
        sign_in(client, "officer", "wrong", "198.51.100.1, 203.0.113.66")
    locked = sign_in(client, "officer", "the-right-password", "203.0.113.66")
    assert locked.status_code == 429
    # The officer, from their own address behind the same proxy, still signs in.
    response = sign_in(client, "officer", "the-right-password", "198.51.100.1")
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_survey_limit_counts_each_resident_behind_the_proxy(
    rf, behind_proxy, settings, any_cache
):
    from surveys.services import submission_allowed, submission_count

    settings.SURVEYS_SUBMISSIONS_PER_HOUR = 1
    submission_count(client_address(forwarded(rf, "203.0.113.9")))
    assert not submission_allowed(client_address(forwarded(rf, "198.51.100.1, 203.0.113.9")))
    assert submission_allowed(client_address(forwarded(rf, "203.0.113.10")))
