from django.utils import translation

from pregonero.core.i18n import stored_message

BULLETIN = "%(count)d of %(total)d bulletin messages are still to be sent."


def test_a_stored_message_is_read_in_the_readers_language_with_its_values():
    with translation.override("es"):
        shown = stored_message(BULLETIN, {"count": 3, "total": 40})
    assert shown == "Quedan por enviar 3 de 40 mensajes del boletín."
    with translation.override("en"):
        shown = stored_message(BULLETIN, {"count": 3, "total": 40})
    assert shown == "3 of 40 bulletin messages are still to be sent."


def test_technical_detail_after_the_first_line_is_kept_untranslated():
    message = "The network is busy or unavailable; Pregonero will try again.\nHTTP 503: upstream timeout"
    with translation.override("es"):
        shown = stored_message(message)
    assert shown == (
        "La red está ocupada o no disponible; Pregonero lo volverá a intentar.\nHTTP 503: upstream timeout"
    )


def test_missing_values_or_a_broken_translation_still_show_the_message():
    assert stored_message("") == ""
    with translation.override("es"):
        # Values that do not fit the placeholders: the source text is shown rather than nothing.
        assert stored_message(BULLETIN, {"count": 3}) == BULLETIN
        assert stored_message("Not a catalogue message") == "Not a catalogue message"
