"""WhatsApp Cloud API webhook payloads shaped as the webhooks reference shows them: text,
image with caption, voice note, document, location, a reply (context), an interactive answer,
a reaction, an unsupported message and delivery statuses."""

WABA_ID = "102290129340398"
PHONE_NUMBER_ID = "106540352242922"
CITIZEN = "34600123456"
UKRAINIAN = "380671234567"


def call(*messages, statuses=(), phone_number_id=PHONE_NUMBER_ID, contacts=None):
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "34961000000", "phone_number_id": phone_number_id},
    }
    if messages:
        value["contacts"] = contacts or [
            {"profile": {"name": "Marta Puig"}, "wa_id": CITIZEN},
            {"profile": {"name": "Олена"}, "wa_id": UKRAINIAN},
        ]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": WABA_ID, "changes": [{"value": value, "field": "messages"}]}],
    }


TEXT = {
    "from": CITIZEN,
    "id": "wamid.HBgLMzQ2MDAxMjM0NTYVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
    "timestamp": "1763633730",
    "text": {"body": "Bon dia! Quins papers necessite per al padró? 📄"},
    "type": "text",
}
IMAGE = {
    "from": UKRAINIAN,
    "id": "wamid.HBgMMzgwNjcxMjM0NTY3FQIAEhgUM0FCQ0RFRjAxMjM0NTY3ODkwAA==",
    "timestamp": "1763633800",
    "type": "image",
    "image": {
        "caption": "Зламана лавка в парку",
        "mime_type": "image/jpeg",
        "sha256": "fbDQ0sVn3ugpNX6MQNd6XBPHXvQ7JjFqA0u1G3vTbzo=",
        "id": "1479537139650973",
    },
}
VOICE = {
    "from": CITIZEN,
    "id": "wamid.voice1",
    "timestamp": "1763633900",
    "type": "audio",
    "audio": {
        "mime_type": "audio/ogg; codecs=opus",
        "sha256": "abc=",
        "id": "913528437229412",
        "voice": True,
    },
}
DOCUMENT = {
    "from": CITIZEN,
    "id": "wamid.doc1",
    "timestamp": "1763633950",
    "type": "document",
    "document": {"filename": "certificat.pdf", "mime_type": "application/pdf", "sha256": "x=", "id": "55501"},
}
LOCATION = {
    "from": CITIZEN,
    "id": "wamid.loc1",
    "timestamp": "1763634000",
    "type": "location",
    "location": {
        "latitude": 39.4699,
        "longitude": -0.3763,
        "name": "Plaça Major",
        "address": "Plaça Major, 1",
    },
}
REPLY = {
    "context": {"from": "34961000000", "id": "wamid.ours1"},
    "from": CITIZEN,
    "id": "wamid.reply1",
    "timestamp": "1763634100",
    "text": {"body": "D'acord, gràcies!"},
    "type": "text",
}
INTERACTIVE = {
    "context": {"from": "34961000000", "id": "wamid.ours2"},
    "from": CITIZEN,
    "id": "wamid.inter1",
    "timestamp": "1763634200",
    "type": "interactive",
    "interactive": {"type": "button_reply", "button_reply": {"id": "cita", "title": "Demanar cita"}},
}
REACTION = {
    "from": CITIZEN,
    "id": "wamid.react1",
    "timestamp": "1763634300",
    "type": "reaction",
    "reaction": {"message_id": "wamid.ours1", "emoji": "👍"},
}
UNSUPPORTED = {
    "from": CITIZEN,
    "id": "wamid.unsup1",
    "timestamp": "1763634400",
    "type": "unsupported",
    "errors": [{"code": 131051, "title": "Message type unknown", "message": "Message type unknown"}],
}
STATUS = {
    "id": "wamid.ours1",
    "status": "read",
    "timestamp": "1763634500",
    "recipient_id": CITIZEN,
    "conversation": {"id": "c1", "origin": {"type": "service"}},
    "pricing": {"billable": True, "pricing_model": "PMP", "category": "service"},
}
