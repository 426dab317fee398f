import pytest

from pregonero.text.personal_data import find_personal_data, is_valid_dni, is_valid_iban, is_valid_nie


def kinds_and_texts(text):
    return [(item.kind, item.text) for item in find_personal_data(text)]


@pytest.mark.parametrize(
    "value",
    ["12345678Z", "12345678-Z", "12.345.678 Z", "12345678z", "87654321X", "00000000T", "73020493 R"],
)
def test_a_dni_with_its_check_letter_is_valid(value):
    assert is_valid_dni(value)


@pytest.mark.parametrize(
    "value", ["12345678A", "87654321Z", "1234567Z", "123456789Z", "12345678Ñ", "ABCDEFGHZ"]
)
def test_a_dni_with_a_wrong_letter_or_shape_is_not_valid(value):
    assert not is_valid_dni(value)


@pytest.mark.parametrize("value", ["X1234567L", "y7654321g", "Z-0000001-Y", "X9876543K"])
def test_a_nie_with_its_check_letter_is_valid(value):
    assert is_valid_nie(value)


@pytest.mark.parametrize("value", ["X1234567A", "W1234567L", "X123456L", "12345678Z"])
def test_a_nie_with_a_wrong_letter_or_prefix_is_not_valid(value):
    assert not is_valid_nie(value)


@pytest.mark.parametrize(
    "value",
    [
        "ES91 2100 0418 4502 0005 1332",
        "ES7921000813610123456789",
        "es60 0049 1500 0512 3456 7892",
        "DE89370400440532013000",
        "GB29 NWBK 6016 1331 9268 19",
        "FR1420041010050500013M02606",
    ],
)
def test_an_iban_with_a_good_checksum_is_valid(value):
    assert is_valid_iban(value)


@pytest.mark.parametrize(
    "value", ["ES91 2100 0418 4502 0005 1333", "ES9221000418450200051332", "ES91", "1234567890123456"]
)
def test_an_iban_with_a_bad_checksum_or_shape_is_not_valid(value):
    assert not is_valid_iban(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hola, soy vecina del barrio, mi DNI es 12345678Z, ¿me podéis llamar?",
            [("dni", "12345678Z")],
        ),
        ("Adjunto el DNI 12.345.678-z para la inscripción", [("dni", "12.345.678-z")]),
        ("El meu NIE és X1234567L i no em deixen empadronar", [("nie", "X1234567L")]),
        (
            "Llamad al 612 34 56 78 o al fijo 96 123 45 67",
            [("phone", "612 34 56 78"), ("phone", "96 123 45 67")],
        ),
        ("Telèfon: +34 612.345.678, de 9 a 14 h", [("phone", "+34 612.345.678")]),
        ("Contacte 0034-912-345-678", [("phone", "0034-912-345-678")]),
        ("móvil 612345678.", [("phone", "612345678")]),
        ("Escribid a padron@vilanovademar.es para el certificado", [("email", "padron@vilanovademar.es")]),
        (
            "Domiciliad el recibo en ES91 2100 0418 4502 0005 1332 para el IBI",
            [("iban", "ES91 2100 0418 4502 0005 1332")],
        ),
        ("Pagueu a ES9121000418450200051332.", [("iban", "ES9121000418450200051332")]),
    ],
)
def test_it_finds_personal_data_in_municipal_messages(text, expected):
    assert kinds_and_texts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "El presupuesto municipal de 2025 asciende a 2.000.000 €.",
        "La inversión de 900.000.000 € se aprobó en el pleno.",
        "Una partida de 612.345.678 euros",
        "Inflación del 612 345 678 %",
        "Código postal 46001, Vilanova de Mar.",
        "Les festes seran del 12/08/2025 al 18-08-2025.",
        "Aforo: 1.500 personas; 3.200 inscritos en 2024.",
        "Expediente 2025/000123456 del registro",
        "Ref. 7-123456789",
    ],
)
def test_amounts_years_postcodes_and_dates_are_not_phones(text):
    assert kinds_and_texts(text) == []


@pytest.mark.parametrize("text", ["Mi DNI es 12345678A", "DNI: 12.345.678-B.", "87654321 z"])
def test_a_dni_with_a_wrong_letter_is_reported_as_nothing(text):
    assert find_personal_data(text) == []


def test_a_number_and_a_lone_letter_can_be_a_dni_by_chance():
    # Accepted: 1 in 23 such sequences carries the right letter, and privacy errs on caution.
    assert kinds_and_texts("cita 12345678 z") == [("dni", "12345678 z")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Estoy de baja médica por una depresión", ["baja médica", "depresión"]),
        ("Tinc una malaltia i estic de baixa mèdica", ["malaltia", "baixa mèdica"]),
        ("El diagnòstic del meu fill: càncer", ["diagnòstic", "càncer"]),
        ("Soy VIH positivo y me discriminan", ["VIH"]),
        ("Persones amb discapacitat i embarassades tenen prioritat", ["discapacitat", "embarassades"]),
        ("Ayudas para personas con discapacidad y enfermedades raras", ["discapacidad", "enfermedades"]),
        ("Llevo un año de tratamiento", ["tratamiento"]),
        ("Plazas para personas discapacitadas", ["discapacitadas"]),
        ("DIAGNOSTICO confirmado", ["DIAGNOSTICO"]),
    ],
)
def test_it_finds_health_terms_in_spanish_and_valencian(text, expected):
    assert [item.text for item in find_personal_data(text) if item.kind == "health"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Información sobre el tratamiento de datos personales en la web municipal.",
        "Informació sobre el tractament de dades personals.",
        "Nueva planta de tratamiento de aguas residuales.",
        "Concierto de vihuela en el museo municipal",
        "Fiesta de la sidra en la plaza",
        "Els embarcadors del port",
    ],
)
def test_health_terms_match_whole_words_and_skip_data_processing_notices(text):
    assert [item for item in find_personal_data(text) if item.kind == "health"] == []


def test_an_email_wins_over_a_phone_inside_it():
    assert kinds_and_texts("612345678@vilanova.es") == [("email", "612345678@vilanova.es")]


def test_a_message_with_everything_reports_each_item_once_in_order():
    text = (
        "Bon dia, soc la Maria, DNI 12345678Z, telèfon 612 345 678, maria.garcia@example.com, "
        "compte ES79 2100 0813 6101 2345 6789. Estic de baixa mèdica."
    )
    assert [item.kind for item in find_personal_data(text)] == ["dni", "phone", "email", "iban", "health"]


def test_reasons_are_short_explanations_for_developers():
    (item,) = find_personal_data("DNI 12345678Z")
    assert item.reason == "DNI with a matching check letter"


def test_offsets_are_python_string_offsets_even_after_emoji():
    text = "🎉🎉 Llámame al 612345678"
    (item,) = find_personal_data(text)
    assert text[item.start : item.end] == "612345678"
