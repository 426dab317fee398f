"""E-mails to Pregonero's objects: pure parsing of messages shaped as mail programs send them."""

from __future__ import annotations

from datetime import UTC, datetime

from pregonero.channels.connectors.inbound import MessageKind
from pregonero.channels.connectors.mailbox import parse
from pregonero.channels.tests.payloads import mailbox as payloads

OWN = [payloads.OWN]


def test_encoded_words_in_utf8_are_decoded_and_the_emoji_survive():
    message = parse.parse_message(payloads.PLAIN_UTF8, OWN)
    assert message.kind == MessageKind.DIRECT
    assert message.author_name == "Marta Puig García"
    assert message.author_id == message.author_handle == "marta.puig@example.net"
    assert message.text.startswith("Contenedor roto en la plaça Major 🗑\n\nBuenos días:")
    assert "lleva tres días roto 🗑️. ¿Pueden repararlo?" in message.text


def test_a_new_message_starts_its_own_thread_named_by_its_message_id():
    message = parse.parse_message(payloads.PLAIN_UTF8, OWN)
    assert message.remote_id == "<c0ffee01@example.net>"
    assert message.in_reply_to is None
    assert message.private_thread == message.conversation == "<c0ffee01@example.net>"
    assert message.created_at == datetime(2026, 11, 17, 8, 41, 7, tzinfo=UTC)
    assert message.language == "es-ES"


def test_iso_8859_1_body_and_subject_are_read_in_their_charset():
    message = parse.parse_message(payloads.LATIN1, OWN)
    assert message.text == (
        "Fanal trencat a la plaça\n\nBon dia, el fanal de la plaça està trencat des de dilluns. Gràcies!"
    )
    assert message.author_name == "Josep Ferrer"


def test_multipart_alternative_prefers_the_plain_text_version():
    message = parse.parse_message(payloads.ALTERNATIVE, OWN)
    assert message.text == "Horario de la biblioteca\n\n¿Abre la biblioteca el sábado por la tarde?"
    assert "<" not in message.text


def test_an_html_only_message_becomes_text_without_script_styles_or_tracking_image():
    message = parse.parse_message(payloads.HTML_ONLY, OWN)
    assert message.author_name == "Олена Іваненко"
    assert message.text == (
        "Ayuda para el padrón\n\n"
        "Доброго дня!\n\n"
        "Necesito empadronarme & tengo dudas.\n"
        "Según la web (https://example.org/padron) hace falta cita.\n"
        "- DNI\n- Contrato"
    )
    for never in ("alert", "color:red", "track.example", "Correo"):
        assert never not in message.text


def test_a_reply_to_our_answer_names_it_and_keeps_the_first_message_as_its_thread():
    message = parse.parse_message(payloads.REPLY_TO_OURS, OWN)
    assert message.in_reply_to == payloads.OUR_REPLY_ID
    assert message.private_thread == "<c0ffee01@example.net>"


def test_the_quoted_answer_and_its_wrapped_attribution_line_are_trimmed():
    message = parse.parse_message(payloads.REPLY_TO_OURS, OWN)
    assert message.text == "Re: Contenedor roto en la plaça Major\n\nYa lo han cambiado, ¡muchas gracias! 👍"


def test_outlooks_original_message_block_is_trimmed():
    message = parse.parse_message(payloads.OUTLOOK_REPLY, OWN)
    assert message.text == "RE: RE: Contenedor roto\n\nYo también lo he visto."
    assert message.in_reply_to == message.private_thread == "<c0ffee01@example.net>"


def test_attachments_are_listed_by_name_and_type_and_never_opened():
    message = parse.parse_message(payloads.WITH_ATTACHMENTS, OWN)
    assert [(m.kind, m.description, m.mime) for m in message.media] == [
        ("image", "argazkia.jpg", "image/jpeg"),
        ("file", "txostena ñ.pdf", "application/pdf"),
        # A name with a path keeps only its last part.
        ("file", "factura.exe", "application/x-msdownload"),
    ]
    assert message.text == (
        "Bidegorria hondatuta\n\nArgazkia eta txostena bidaltzen dizkizuet.\n\n"
        "📎 argazkia.jpg\n📎 txostena ñ.pdf\n📎 factura.exe"
    )


def test_auto_replies_bounces_and_our_own_messages_are_not_citizens_messages():
    for raw in (payloads.AUTO_REPLY, payloads.BOUNCE, payloads.OURS):
        assert parse.parse_message(raw, OWN) is None


def test_a_message_from_the_mailbox_address_itself_is_not_a_citizens_message():
    raw = payloads.LATIN1.replace(b"josep@correu.example.cat", b"INFO@vilanova.test")
    assert parse.parse_message(raw, OWN) is None


def test_raw_utf8_headers_are_read_and_a_missing_message_id_gets_a_stable_digest():
    first = parse.parse_message(payloads.RAW_HEADERS, OWN)
    assert first.author_name == "José Núñez"
    assert first.text == "Más información sobre las ayudas\n\nQuisiera saber los plazos."
    assert first.remote_id.startswith("sha256:")
    assert parse.parse_message(payloads.RAW_HEADERS, OWN).remote_id == first.remote_id
    assert first.created_at is None


def test_a_wrong_charset_label_falls_back_to_windows_1252():
    assert parse.parse_message(payloads.WRONG_CHARSET, OWN).text == "Cita\n\nNecesito cita el miércoles."


def test_control_and_bidirectional_override_characters_are_removed():
    assert parse.clean_text("fac\u202eturа\x07 ok\r\n") == "facturа ok\n"


def test_format_flowed_soft_breaks_are_joined_but_not_the_signature_separator():
    assert parse.unflow("Esto es una \nlínea larga.\n-- \nMarta") == "Esto es una línea larga.\n-- \nMarta"


def test_quotes_between_the_persons_own_lines_are_kept():
    text = "> ¿Qué día?\nEl martes.\n> ¿Y la hora?\nA las diez."
    assert parse.trim_quoted(text) == text


def test_a_message_that_is_only_a_quote_is_kept_whole():
    assert parse.trim_quoted("> Reenvío lo que me dijeron") == "> Reenvío lo que me dijeron"


def test_trailing_quotes_in_catalan_galician_and_english_lose_their_attribution():
    for attribution in (
        "El dt., 17 de nov. 2026 a les 9:41, Ajuntament <info@vilanova.test> va escriure:",
        "O mar., 17 nov. 2026 ás 9:41, Concello <info@vilanova.test> escribiu:",
        "On Tue, 17 Nov 2026 at 09:41, Town Hall <info@vilanova.test> wrote:",
    ):
        assert parse.trim_quoted(f"D'acord.\n\n{attribution}\n> Hola\n> adeu\n") == "D'acord."


def test_html_blockquotes_become_quoted_lines_that_are_then_trimmed():
    html = "<div>Perfecto, gracias.</div><div class=gmail_quote><blockquote><p>Hola</p></blockquote></div>"
    assert parse.html_to_text(html) == "Perfecto, gracias.\n\n>\n> Hola\n>"
    assert parse.trim_quoted(parse.html_to_text(html)) == "Perfecto, gracias."


def test_html_links_keep_their_address_but_not_javascript_ones():
    html = (
        '<p><a href="https://vilanova.test/cita">pida cita</a> o <a href="javascript:alert(1)">aquí</a></p>'
    )
    assert parse.html_to_text(html) == "pida cita (https://vilanova.test/cita) o aquí"


def test_reply_headers_answer_the_sender_in_the_thread_with_one_re():
    headers = parse.reply_headers(payloads.OUTLOOK_REPLY, OWN)
    assert headers.to == ("pere.soler@outlook.example",)
    assert headers.subject == "Re: Contenedor roto"
    assert headers.in_reply_to == "<AM0PR01MB1234@eurprd01.prod.outlook.example>"
    assert headers.references == ("<c0ffee01@example.net>", "<AM0PR01MB1234@eurprd01.prod.outlook.example>")


def test_reply_headers_use_reply_to_and_never_our_own_address():
    raw = payloads.PLAIN_UTF8.replace(
        b"To: info@vilanova.test",
        b"To: info@vilanova.test\r\nReply-To: marta@work.example, info@vilanova.test",
    )
    headers = parse.reply_headers(raw, OWN)
    assert headers.to == ("marta@work.example",)
    assert headers.references == ("<c0ffee01@example.net>",)


def test_long_reference_chains_keep_the_first_and_the_latest():
    ids = " ".join(f"<m{n}@example.net>" for n in range(40))
    raw = payloads.LATIN1.replace(b"Date:", f"References: {ids}\r\nDate:".encode())
    references = parse.reply_headers(raw, OWN).references
    assert len(references) == parse.MAX_REFERENCES
    assert references[0] == "<m0@example.net>"
    assert references[-1] == "<20261117.1022.josep@correu.example.cat>"


def test_our_message_ids_are_recognised():
    ours = parse.new_message_id("abc", "pregonero.vilanova.test")
    assert parse.is_own_message_id(ours)
    assert not parse.is_own_message_id("<c0ffee01@example.net>")


def test_the_cursor_names_the_folders_uidvalidity_and_the_last_uid():
    assert parse.read_cursor(parse.cursor_value(1795841165, 42)) == (1795841165, 42)
    assert parse.read_cursor(None) is None
    assert parse.read_cursor("garbage") is None


def test_folder_names_are_sent_in_imaps_modified_utf7():
    from pregonero.channels.connectors.mailbox.client import imap_utf7, quote_folder

    assert imap_utf7("Ciudadanía") == "Ciudadan&AO0-a"
    assert imap_utf7("Atenció & queixes") == "Atenci&APM- &- queixes"
    assert quote_folder('Sent "old"') == '"Sent \\"old\\""'
