"""Officers' photos: checked, resized and stripped of metadata on upload, served from the
database at an address naming their content, and shown on the team page."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from teams import photos
from teams.models import Officer, OfficerPhoto
from tests.admin_pages import change_form_data
from tests.factories import OfficerFactory, TeamEditorFactory, TeamFactory

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(size=(1200, 1600), orientation: int | None = None) -> bytes:
    """A phone photo: a JPEG with where it was taken (GPS) and the camera in its EXIF."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15"  # Model
    if orientation:
        exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 44.0, 8.0), 3: "E", 4: (0.0, 28.0, 0.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=90)
    return out.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_phone_photo_loses_its_location_and_camera_and_fits_the_page():
    original = jpeg_with_gps()
    assert b"PhoneMaker" in original and Image.open(io.BytesIO(original)).getexif()
    photo = photos.prepare_photo(upload(original))
    kept = Image.open(io.BytesIO(photo.image))
    assert kept.format == "WEBP"
    assert not kept.getexif()
    assert "exif" not in kept.info and "icc_profile" not in kept.info
    assert b"PhoneMaker" not in photo.image and b"Exif" not in photo.image
    assert (kept.width, kept.height) == (photo.width, photo.height) == (225, 300)
    assert len(photo.image) < 30_000
    assert photo.content_type == "image/webp"
    assert len(photo.digest) == 64


def test_a_photo_taken_sideways_is_turned_upright_before_its_metadata_goes():
    # EXIF orientation 6: the camera was turned; the stored pixels are landscape.
    photo = photos.prepare_photo(upload(jpeg_with_gps(size=(1600, 1200), orientation=6)))
    assert (photo.width, photo.height) == (225, 300)


def test_a_small_photo_is_not_enlarged():
    out = io.BytesIO()
    Image.new("RGB", (100, 120), "white").save(out, format="PNG")
    photo = photos.prepare_photo(upload(out.getvalue(), "small.png", "image/png"))
    assert (photo.width, photo.height) == (100, 120)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4 not a photo at all", photos.NOT_A_PHOTO),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            photos.NOT_A_PHOTO,
        ),
        (jpeg_with_gps()[:400], photos.NOT_A_PHOTO),  # cut short
    ],
    ids=["pdf", "svg", "truncated"],
)
def test_what_is_not_a_photo_is_refused(data, message):
    with pytest.raises(ValidationError) as refused:
        photos.prepare_photo(upload(data))
    assert refused.value.messages == [message]


def test_a_transparent_background_turns_white_not_black():
    out = io.BytesIO()
    Image.new("RGBA", (100, 100), (0, 0, 0, 0)).save(out, format="PNG")
    photo = photos.prepare_photo(upload(out.getvalue(), "cut-out.png", "image/png"))
    corner = Image.open(io.BytesIO(photo.image)).convert("RGB").getpixel((0, 0))
    assert min(corner) > 240, corner


def test_a_gif_is_refused_though_pillow_reads_it():
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, format="GIF")
    with pytest.raises(ValidationError, match="JPG, PNG or WebP"):
        photos.prepare_photo(upload(out.getvalue(), "a.gif", "image/gif"))


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    # 20,000 x 20,000 pixels of one colour: a few kilobytes on disk, 400 megapixels decoded.
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, format="PNG")
    assert len(out.getvalue()) < 200_000
    with pytest.raises(ValidationError) as refused:
        photos.prepare_photo(upload(out.getvalue(), "bomb.png", "image/png"))
    assert refused.value.messages == [photos.TOO_MANY_PIXELS]


def test_a_huge_file_is_refused_before_it_is_read():
    huge = upload(b"\xff\xd8" + b"0" * photos.MAX_UPLOAD_BYTES)
    with pytest.raises(ValidationError) as refused:
        photos.prepare_photo(huge)
    assert refused.value.messages == [photos.TOO_BIG]


# In the admin.


@pytest.fixture
def team():
    return TeamFactory(name="Colchester", slug="colchester")


@pytest.fixture
def editor(client, team):
    user = TeamEditorFactory(username="colchester-editor", teams=[team])
    client.force_login(user)
    return user


def change_url(officer):
    return reverse("admin:teams_officer_change", args=[officer.pk])


def test_an_editor_uploads_a_photo_and_residents_see_it_without_its_metadata(
    client, editor, team, django_capture_on_commit_callbacks
):
    officer = OfficerFactory(team=team, name="Sam Patel")
    data = {**change_form_data(client.get(change_url(officer))), "photo": upload(jpeg_with_gps())}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(officer), data, follow=True)
    assert "photo was resized and its details removed" in response.content.decode()
    stored = OfficerPhoto.objects.get(officer=officer)
    assert b"PhoneMaker" not in bytes(stored.image)

    page = client.get(team.get_absolute_url()).content.decode()
    address = stored.get_absolute_url()
    assert f'src="{address}" alt=""' in page
    served = client.get(address)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/webp"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in served["Cache-Control"] and "public" in served["Cache-Control"]
    assert served["ETag"] == f'"{stored.digest}"'
    assert Image.open(io.BytesIO(served.content)).size == (225, 300)
    again = client.get(address, headers={"If-None-Match": served["ETag"]})
    assert again.status_code == 304 and not again.content


def test_a_bad_file_gets_a_clear_message_and_keeps_what_was_typed(client, editor, team):
    officer = OfficerFactory(team=team, name="Sam Patel", role="Beat officer")
    data = {
        **change_form_data(client.get(change_url(officer))),
        "role": "Ward officer for Castle",
        "photo": upload(b"MZ\x90\x00 a program, not a photo", "photo.jpg"),
    }
    response = client.post(change_url(officer), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert photos.NOT_A_PHOTO in text
    assert 'value="Ward officer for Castle"' in text  # what was typed is still there
    officer.refresh_from_db()
    assert officer.role == "Beat officer"
    assert not OfficerPhoto.objects.exists()


def test_removing_a_photo_brings_back_the_initials(
    client, editor, team, django_capture_on_commit_callbacks
):
    officer = OfficerFactory(team=team, name="Sam Patel")
    photo = photos.prepare_photo(upload(jpeg_with_gps()))
    OfficerPhoto.objects.create(officer=officer, **photo.__dict__)
    data = {**change_form_data(client.get(change_url(officer))), "remove_photo": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change_url(officer), data).status_code == 302
    assert not OfficerPhoto.objects.exists()
    page = client.get(team.get_absolute_url()).content.decode()
    assert '<span class="app-officer__initials" aria-hidden="true">SP</span>' in page
    assert (
        client.get(
            photo_url := reverse(
                "teams:officer-photo", kwargs={"pk": officer.pk, "digest": photo.digest}
            )
        ).status_code
        == 404
    ), photo_url


def test_a_photo_is_not_served_once_the_officer_has_left(client, team):
    officer = OfficerFactory(team=team)
    photo = photos.prepare_photo(upload(jpeg_with_gps()))
    stored = OfficerPhoto.objects.create(officer=officer, **photo.__dict__)
    assert client.get(stored.get_absolute_url()).status_code == 200
    Officer.objects.filter(pk=officer.pk).update(active=False)
    assert client.get(stored.get_absolute_url()).status_code == 404
    wrong = reverse("teams:officer-photo", kwargs={"pk": officer.pk, "digest": "0" * 64})
    assert client.get(wrong).status_code == 404


def test_a_hostile_name_shows_as_text_by_the_photo_and_in_the_admin(client, editor, team):
    officer = OfficerFactory(team=team, name='<img src=x onerror="alert(1)">Sam')
    photo = photos.prepare_photo(upload(jpeg_with_gps()))
    OfficerPhoto.objects.create(officer=officer, **photo.__dict__)
    page = client.get(team.get_absolute_url()).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x" in page
    admin_page = client.get(change_url(officer)).content.decode()
    assert "<img src=x" not in admin_page
    assert 'alt="The current photo of &lt;img src=x' in admin_page


def test_the_team_page_never_loads_photo_bytes(client, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer = OfficerFactory(team=team)
    photo = photos.prepare_photo(upload(jpeg_with_gps()))
    OfficerPhoto.objects.create(officer=officer, **photo.__dict__)
    with CaptureQueriesContext(connection) as captured:
        client.get(team.get_absolute_url())
    photo_queries = [q["sql"] for q in captured if "officerphoto" in q["sql"]]
    assert photo_queries
    assert all('"image"' not in sql for sql in photo_queries), photo_queries
