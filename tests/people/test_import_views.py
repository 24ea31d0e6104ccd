"""HR uploads the employee file in the browser: preview, then an explicit confirmation."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from people.models import EmployeeImport, User
from tests.factories import UserFactory

SAMPLE = Path(__file__).parent / "data" / "employees.csv"  # shared/samples/employees.csv

HEADER = (
    "email,first_name,last_name,department,job_title,manager_email,location,languages,skills\r\n"
)


def upload(client, content: bytes, name: str = "plantilla.csv"):
    return client.post("/people/import/", {"file": SimpleUploadedFile(name, content, "text/csv")})


def test_hr_previews_then_confirms_an_import(hr_client):
    response = upload(hr_client, SAMPLE.read_bytes(), "employees.csv")
    batch = EmployeeImport.objects.get()
    assert response.url == f"/people/import/{batch.code}/"

    preview = hr_client.get(response.url)
    assert preview.context["plan"].is_valid
    assert len(preview.context["plan"].creates) == 8
    assert not User.objects.filter(email="carmen.vidal@example.com").exists()

    done = hr_client.post(f"/people/import/{batch.code}/confirm/", follow=True)
    assert "8 personas añadidas" in done.content.decode()
    assert (
        User.objects.get(email="pablo.navarro@example.com").manager.email
        == "elena.ferrer@example.com"
    )
    batch.refresh_from_db()
    assert batch.applied_at is not None and batch.created_count == 8

    # A confirmed import cannot be applied a second time.
    assert hr_client.post(f"/people/import/{batch.code}/confirm/").status_code == 404


def test_a_file_with_errors_lists_each_line_and_cannot_be_confirmed(hr_client):
    content = (
        HEADER
        + "ana@example.com,Ana,López,Ventas,Comercial,,Madrid,es,\r\n"
        + "no-es-un-correo,Luis,Gil,Ventas,Comercial,,Madrid,es,\r\n"
        + "ana@example.com,Ana,Otra,Ventas,Comercial,,Madrid,es,\r\n"
    ).encode()
    response = upload(hr_client, content)
    preview = hr_client.get(response.url)
    page = preview.content.decode()
    assert "línea 3" in page
    assert "línea 4" in page
    assert 'data-testid="import-errors"' in page
    assert "Confirmar importación" not in page

    batch = EmployeeImport.objects.get()
    refused = hr_client.post(f"/people/import/{batch.code}/confirm/")
    assert refused.status_code == 400
    assert not User.objects.filter(email="ana@example.com").exists()


def test_an_empty_upload_is_refused_next_to_the_field(hr_client):
    response = upload(hr_client, b"")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not EmployeeImport.objects.exists()


def test_another_admins_upload_is_not_found(hr_client):
    other = UserFactory(hr=True)
    batch = EmployeeImport.objects.create(
        uploaded_by=other, filename="x.csv", content=HEADER.encode()
    )
    assert hr_client.get(f"/people/import/{batch.code}/").status_code == 404


def test_the_csv_download_neutralises_formulas(hr_client, mentee):
    mentee.job_title = '=HYPERLINK("http://evil")'
    mentee.save()
    response = hr_client.get("/people/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("email,first_name,last_name")
    assert "'=HYPERLINK" in body
