"""E-mails as mail programs send them (RFC 5322, MIME, RFC 2047 encoded words, RFC 2231 file
names), to the public information mailbox info@vilanova.test."""

from __future__ import annotations

OWN = "info@vilanova.test"
OUR_REPLY_ID = "<5f1c.reply.pregonero@pregonero.vilanova.test>"


def crlf(text: str, charset: str = "utf-8") -> bytes:
    return text.replace("\n", "\r\n").encode(charset)


# Thunderbird, UTF-8 quoted-printable; encoded-word sender and subject; an emoji.
PLAIN_UTF8 = crlf("""\
Return-Path: <marta.puig@example.net>
Message-ID: <c0ffee01@example.net>
Date: Tue, 17 Nov 2026 09:41:07 +0100
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Content-Language: es-ES
From: =?UTF-8?Q?Marta_Puig_Garc=C3=ADa?= <Marta.Puig@example.net>
To: info@vilanova.test
Subject: =?UTF-8?B?Q29udGVuZWRvciByb3RvIGVuIGxhIHBsYcOnYSBNYWpvciDwn5eR?=
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: quoted-printable

Buenos d=C3=ADas:

El contenedor de la pla=C3=A7a Major lleva tres d=C3=ADas roto =F0=9F=97=91=
=EF=B8=8F. =C2=BFPueden repararlo?

Gracias,
Marta
""")

# An older client: ISO-8859-1 body in 8 bits, ISO-8859-1 encoded words in the subject.
LATIN1 = crlf(
    """\
Message-ID: <20261117.1022.josep@correu.example.cat>
Date: Tue, 17 Nov 2026 10:22:00 +0100
From: "Josep Ferrer" <josep@correu.example.cat>
To: Ajuntament <info@vilanova.test>
Subject: =?ISO-8859-1?Q?Fanal_trencat_a_la_pla=E7a?=
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-8859-1
Content-Transfer-Encoding: 8bit

Bon dia, el fanal de la plaça està trencat des de dilluns. Gràcies!
""",
    "latin-1",
)

# Gmail: multipart/alternative, the plain version is the one read.
ALTERNATIVE = crlf("""\
MIME-Version: 1.0
Date: Wed, 18 Nov 2026 08:05:12 +0000
Message-ID: <CAF=alt01@mail.gmail.com>
Subject: Horario de la biblioteca
From: Lucia Gomez <lucia.gomez@gmail.example>
To: info@vilanova.test
Content-Type: multipart/alternative; boundary="000000000000a1b2c3"

--000000000000a1b2c3
Content-Type: text/plain; charset="UTF-8"

¿Abre la biblioteca el sábado por la tarde?

--000000000000a1b2c3
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">¿Abre la <b>biblioteca</b> el sábado por la tarde?</div>

--000000000000a1b2c3--
""")

# HTML only, with what must never come through: a script, styles, a tracking image.
HTML_ONLY = crlf("""\
MIME-Version: 1.0
Date: Wed, 18 Nov 2026 12:00:00 +0100
Message-ID: <html-only-7@webmail.example.org>
Subject: =?utf-8?q?Ayuda_para_el_padr=C3=B3n?=
From: =?utf-8?b?0J7Qu9C10L3QsCDQhtCy0LDQvdC10L3QutC+?= <olena@webmail.example.org>
To: info@vilanova.test
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64

PGh0bWw+PGhlYWQ+PHN0eWxlPnAge2NvbG9yOnJlZH08L3N0eWxlPjx0aXRsZT5Db3JyZW88L3Rp
dGxlPjwvaGVhZD48Ym9keT48c2NyaXB0PmFsZXJ0KCd4Jyk8L3NjcmlwdD48cD7QlNC+0LHRgNC+
0LPQviDQtNC90Y8hPC9wPjxwPk5lY2VzaXRvIGVtcGFkcm9uYXJtZSAmYW1wOyB0ZW5nbyBkdWRh
cy48YnI+U2Vnw7puIDxhIGhyZWY9Imh0dHBzOi8vZXhhbXBsZS5vcmcvcGFkcm9uIj5sYSB3ZWI8
L2E+IGhhY2UgZmFsdGEgY2l0YS48L3A+PHVsPjxsaT5ETkk8L2xpPjxsaT5Db250cmF0bzwvbGk+
PC91bD48aW1nIHNyYz0iaHR0cHM6Ly90cmFjay5leGFtcGxlL3B4LmdpZiIgd2lkdGg9IjEiPjwv
Ym9keT48L2h0bWw+
""")

# A reply to our answer: In-Reply-To names it, References the whole thread; Gmail's Spanish
# attribution wrapped over two lines and the quoted answer below.
REPLY_TO_OURS = crlf(f"""\
MIME-Version: 1.0
Date: Thu, 19 Nov 2026 18:30:00 +0100
Message-ID: <c0ffee02@example.net>
In-Reply-To: {OUR_REPLY_ID}
References: <c0ffee01@example.net> {OUR_REPLY_ID}
Subject: Re: Contenedor roto en la plaça Major
From: Marta Puig <marta.puig@example.net>
To: Ajuntament de Vilanova <info@vilanova.test>
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

Ya lo han cambiado, ¡muchas gracias! 👍

El jue, 19 nov 2026 a las 12:02, Ajuntament de Vilanova (<
info@vilanova.test>) escribió:

> Hola, Marta:
> Hemos avisado al servicio de limpieza.
>
""")

# Outlook in Spanish: the original message under a separator, not quoted with ">".
OUTLOOK_REPLY = crlf("""\
Message-ID: <AM0PR01MB1234@eurprd01.prod.outlook.example>
In-Reply-To: <c0ffee01@example.net>
References: <c0ffee01@example.net>
Date: Thu, 19 Nov 2026 09:00:00 +0000
From: Pere Soler <pere.soler@outlook.example>
To: info@vilanova.test
Subject: RE: RE: Contenedor roto
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

Yo tambi=E9n lo he visto.

-----Mensaje original-----
De: Marta Puig <marta.puig@example.net>
Enviado el: martes, 17 de noviembre de 2026 9:41
Para: info@vilanova.test
Asunto: Contenedor roto

El contenedor de la pla=E7a Major lleva tres d=EDas roto.
""")

# Attachments: a photo and a PDF whose name uses RFC 2231; neither is opened.
WITH_ATTACHMENTS = crlf("""\
MIME-Version: 1.0
Date: Fri, 20 Nov 2026 11:11:11 +0100
Message-ID: <att-1@example.eus>
Subject: =?UTF-8?Q?Bidegorria_hondatuta?=
From: Ane Etxeberria <ane@example.eus>
To: info@vilanova.test
Content-Type: multipart/mixed; boundary="XyZ"

--XyZ
Content-Type: text/plain; charset=UTF-8

Argazkia eta txostena bidaltzen dizkizuet.

--XyZ
Content-Type: image/jpeg; name="argazkia.jpg"
Content-Disposition: attachment; filename="argazkia.jpg"
Content-Transfer-Encoding: base64

/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////
--XyZ
Content-Type: application/pdf
Content-Disposition: attachment; filename*=UTF-8''txostena%20%C3%B1.pdf
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSPj4Kc3RyZWFtCg==
--XyZ
Content-Type: application/x-msdownload; name="../../factura.exe"
Content-Disposition: attachment; filename="../../factura.exe"
Content-Transfer-Encoding: base64

TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
--XyZ--
""")

# An out-of-office answer (RFC 3834).
AUTO_REPLY = crlf("""\
Message-ID: <ooo-1@example.net>
Date: Fri, 20 Nov 2026 12:00:00 +0100
From: Marta Puig <marta.puig@example.net>
To: info@vilanova.test
Subject: Fuera de la oficina: Re: Contenedor roto
Auto-Submitted: auto-replied
X-Autoreply: yes
Content-Type: text/plain; charset=UTF-8

Estoy de vacaciones hasta el lunes.
""")

# A bounce of one of our answers (RFC 3464).
BOUNCE = crlf("""\
Return-Path: <>
Message-ID: <bounce-1@mx.vilanova.test>
Date: Fri, 20 Nov 2026 12:05:00 +0100
From: Mail Delivery System <MAILER-DAEMON@mx.vilanova.test>
To: info@vilanova.test
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

--B1
Content-Type: text/plain; charset=us-ascii

This is the mail system. Your message could not be delivered.
--B1
Content-Type: message/delivery-status

Final-Recipient: rfc822; nobody@example.net
Action: failed
Status: 5.1.1
--B1--
""")

# A non-compliant client: raw UTF-8 in the headers, no Message-ID, no Date.
RAW_HEADERS = crlf("""\
From: José Núñez <jose@example.org>
To: info@vilanova.test
Subject: Más información sobre las ayudas
Content-Type: text/plain; charset=utf-8

Quisiera saber los plazos.
""")

# Our own answer seen again (a server that files sent mail in the inbox).
OURS = crlf(f"""\
Message-ID: {OUR_REPLY_ID}
From: Ajuntament de Vilanova <info@vilanova.test>
To: marta.puig@example.net
Subject: Re: Contenedor roto en la plaça Major
Content-Type: text/plain; charset=utf-8

Hola, Marta.
""")

# A wrong charset label (says UTF-8, is Windows-1252).
WRONG_CHARSET = crlf(
    """\
Message-ID: <wrong-1@example.org>
From: Rosa <rosa@example.org>
To: info@vilanova.test
Subject: Cita
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Necesito cita el miércoles.
""",
    "cp1252",
)
