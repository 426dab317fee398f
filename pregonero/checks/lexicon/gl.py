"""Galician word lists (folded: lower case, no accents). Shorter than es and ca."""

ACHIEVEMENT = (
    r"(conseguimos|logramos|acadamos|cumprimos|rematamos|culminamos|investimos|reducimos|duplicamos)",
    r"(xa|por fin) e unha realidade",
    r"feito realidade",
    r"grazas (ao|o) (investimento|esforzo|traballo|goberno)",
    r"grazas a (xestion|aposta)",
    r"(compromiso|obxectivo) cumprido",
    r"(promesa|palabra) cumprida",
    r"balance (de|da) (xestion|mandato|lexislatura)",
    r"investimento (total )?de (mais de )?\d+([.,]\d+)*",
    r"obras? (xa )?(rematadas?|finalizadas?)",
    r"fitos?",
    r"sen precedentes",
    r"mais ca nunca",
)
INAUGURATION = (r"primeira pedra",)
DISCREDIT = (
    r"(goberno( central| de espana| do estado)?|ministerio|xunta|deputacion) (nos )?"
    r"(abandona|ignora|esquece|castiga|discrimina|bloquea|paraliza|incumpre)",
    r"por culpa (do|da) (goberno|xunta|deputacion|ministerio)",
    r"(nefasta|desastrosa) xestion",
)
DISCRIMINATORY = (r"subnormais", r"sexo debil")
VOTING_LOGISTICS = (r"colexios? electora(l|is)", r"voto por correo", r"mesa electoral")
EMERGENCY = (r"alerta (vermella|laranxa|amarela)", r"emerxencias?", r"evacuacion")
