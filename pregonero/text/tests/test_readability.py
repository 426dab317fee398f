import pytest

from pregonero.text.readability import inflesz_band, readability

PLAIN = (
    "El lunes abre la piscina municipal. Puedes ir de diez a ocho. "
    "La entrada es gratis para los niños. Trae tu gorro y tu toalla."
)
DENSE = (
    "De conformidad con lo dispuesto en la normativa reguladora de las subvenciones públicas, "
    "las entidades beneficiarias deberán acreditar documentalmente la justificación de la "
    "aplicación de los fondos percibidos con anterioridad a la finalización del ejercicio "
    "presupuestario correspondiente. La documentación justificativa incorporará, "
    "obligatoriamente, las correspondientes certificaciones administrativas acreditativas."
)


def test_a_plain_municipal_notice_reads_easier_than_legal_prose():
    plain, dense = readability(PLAIN), readability(DENSE)
    assert plain.score_inflesz > dense.score_inflesz
    assert plain.score_fernandez_huerta > dense.score_fernandez_huerta
    assert plain.band in {"fairly_easy", "very_easy"}
    assert dense.band == "very_difficult"


@pytest.mark.parametrize(
    "text", ["", "Corte de agua mañana.", "Hoy hay pleno. Mañana no.", "Una frase muy larga " * 3]
)
def test_short_texts_have_no_band(text):
    assert readability(text).band is None


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (10, "very_difficult"),
        (39.99, "very_difficult"),
        (40, "somewhat_difficult"),
        (54.9, "somewhat_difficult"),
        (55, "normal"),
        (65, "fairly_easy"),
        (79.9, "fairly_easy"),
        (80, "very_easy"),
        (120, "very_easy"),
    ],
)
def test_inflesz_bands_follow_rule_a11y_6(score, band):
    assert inflesz_band(score) == band
