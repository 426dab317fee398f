"""Telegram Bot API updates shaped as the Bot API reference shows them (Update, Message,
PhotoSize, edits, groups, channel posts, service messages)."""

BOT_ID = "7351194826"
BOT = {
    "id": int(BOT_ID),
    "is_bot": True,
    "first_name": "Ajuntament de Vilanova",
    "username": "VilanovaAjuntamentBot",
}
CHANNEL_CHAT = {
    "id": -1001234567890,
    "title": "Ajuntament de Vilanova",
    "username": "ajvilanova",
    "type": "channel",
}
MARTA = {
    "id": 52011377,
    "is_bot": False,
    "first_name": "Marta",
    "last_name": "Puig",
    "username": "martapuig",
    "language_code": "ca",
}
OLEKSANDRA = {"id": 60099311, "is_bot": False, "first_name": "Олександра", "language_code": "uk"}
PRIVATE_MARTA = {
    "id": 52011377,
    "first_name": "Marta",
    "last_name": "Puig",
    "username": "martapuig",
    "type": "private",
}
PRIVATE_OLEKSANDRA = {"id": 60099311, "first_name": "Олександра", "type": "private"}
GROUP = {
    "id": -1009988776655,
    "title": "Veïns del barri antic",
    "username": "veinsbarriantic",
    "type": "supergroup",
}

PRIVATE_TEXT = {
    "update_id": 918273001,
    "message": {
        "message_id": 15,
        "from": MARTA,
        "chat": PRIVATE_MARTA,
        "date": 1763633730,
        "text": "Bon dia! A quina hora obre la piscina dissabte? 🏊",
    },
}
PRIVATE_EDIT = {
    "update_id": 918273002,
    "edited_message": {
        "message_id": 15,
        "from": MARTA,
        "chat": PRIVATE_MARTA,
        "date": 1763633730,
        "edit_date": 1763633790,
        "text": "Bon dia! A quina hora obre la piscina diumenge? 🏊",
    },
}
PRIVATE_PHOTO = {
    "update_id": 918273003,
    "message": {
        "message_id": 7,
        "from": OLEKSANDRA,
        "chat": PRIVATE_OLEKSANDRA,
        "date": 1763633800,
        "photo": [
            {
                "file_id": "AgACAgQAAxkBAAIBsmall",
                "file_unique_id": "AQADs",
                "file_size": 1203,
                "width": 90,
                "height": 67,
            },
            {
                "file_id": "AgACAgQAAxkBAAIBlarge",
                "file_unique_id": "AQADl",
                "file_size": 80412,
                "width": 1280,
                "height": 960,
            },
        ],
        "caption": "Вуличний ліхтар не працює на вулиці Major 😟",
    },
}
PRIVATE_VOICE = {
    "update_id": 918273004,
    "message": {
        "message_id": 8,
        "from": OLEKSANDRA,
        "chat": PRIVATE_OLEKSANDRA,
        "date": 1763633900,
        "voice": {
            "file_id": "AwACAgQAAxkBAAIBvoice",
            "file_unique_id": "AgADv",
            "duration": 4,
            "mime_type": "audio/ogg",
        },
    },
}
GROUP_REPLY = {
    "update_id": 918273005,
    "message": {
        "message_id": 4410,
        "from": {
            "id": 88100200,
            "is_bot": False,
            "first_name": "山田",
            "last_name": "花子",
            "language_code": "ja",
        },
        "chat": GROUP,
        "date": 1763634000,
        "reply_to_message": {
            "message_id": 4400,
            "from": BOT,
            "chat": GROUP,
            "date": 1763633000,
            "text": "Demà es talla el carrer Major.",
        },
        "text": "東京から来ました。何時までですか？",
    },
}
GROUP_MENTION = {
    "update_id": 918273006,
    "message": {
        "message_id": 4411,
        "from": MARTA,
        "chat": GROUP,
        "date": 1763634100,
        "text": "@VilanovaAjuntamentBot hi haurà autobús nocturn?",
        "entities": [{"offset": 0, "length": 22, "type": "mention"}],
    },
}
GROUP_CHATTER = {
    "update_id": 918273007,
    "message": {
        "message_id": 4412,
        "from": MARTA,
        "chat": GROUP,
        "date": 1763634200,
        "text": "Bona nit a tothom",
    },
}
CHANNEL_POST = {
    "update_id": 918273008,
    "channel_post": {
        "message_id": 301,
        "sender_chat": CHANNEL_CHAT,
        "chat": CHANNEL_CHAT,
        "date": 1763634300,
        "text": "Obrim la piscina dissabte.",
    },
}
SERVICE_JOIN = {
    "update_id": 918273009,
    "message": {
        "message_id": 4413,
        "from": MARTA,
        "chat": GROUP,
        "date": 1763634400,
        "new_chat_members": [MARTA],
    },
}
REACTION = {
    "update_id": 918273010,
    "message_reaction": {
        "chat": GROUP,
        "message_id": 4400,
        "user": MARTA,
        "date": 1763634500,
        "old_reaction": [],
        "new_reaction": [{"type": "emoji", "emoji": "👍"}],
    },
}

ALL = [
    PRIVATE_TEXT,
    PRIVATE_EDIT,
    PRIVATE_PHOTO,
    PRIVATE_VOICE,
    GROUP_REPLY,
    GROUP_MENTION,
    GROUP_CHATTER,
    CHANNEL_POST,
    SERVICE_JOIN,
    REACTION,
]
