"""Spanish word lists (folded: lower case, no accents). See the package docstring."""

# Achievements and self-praise: LOREG art. 50.2 "realizaciones o logros", Ley 29/2005 art. 4.1.a.
ACHIEVEMENT = (
    r"hemos (conseguido|logrado|alcanzado|cumplido|culminado|finalizado|terminado|completado"
    r"|hecho realidad|invertido|reducido|rebajado|duplicado|triplicado|multiplicado|batido|superado)",
    r"(ya|por fin) es una realidad",
    r"es ya una realidad",
    r"(hecho|hacemos|hacer) realidad",
    r"gracias a (la|nuestra) (inversion|gestion|apuesta)",
    r"gracias al (esfuerzo|trabajo|compromiso|impulso) del (equipo de gobierno|gobierno municipal|alcalde)",
    r"gracias al equipo de gobierno",
    r"gracias (al alcalde|a la alcaldesa)",
    r"cumplimos",
    r"seguimos cumpliendo",
    r"(compromiso|promesa|objetivo|mision|palabra) cumplid[oa]",
    r"records?",
    r"maximo historico",
    r"(inversion|cifra|hito|ano|dia|presupuesto) historic[oa]",
    r"balance (de (la )?(gestion|mandato|legislatura)|del (mandato|ano|equipo de gobierno)|de estos)",
    r"en cifras",
    r"inversion (total )?(de|superior a|que supera) (mas de |casi )?\d+([.,]\d+)*",
    r"\d+([.,]\d+)* (millones de |mil )?(euros|€) (invertidos|de inversion)",
    r"obras? (ya )?(finalizadas?|terminadas?|concluidas?|culminadas?)",
    r"(finalizamos|terminamos|culminamos) las obras",
    r"logros?",
    r"exitos? de (gestion|nuestro)",
    r"sin precedentes",
    r"mas que nunca",
    r"nunca antes",
    r"antes y despues",
)

# Inaugurations and first stones (LOREG art. 50.3). Opening a cultural event is not the
# inauguration of a public work or service, so "inauguración de la exposición" is left out.
_CULTURAL = (
    r"(?!(?:\s+[\w']+){0,3}?\s+(?:[ld]')?(?:exposic|exposicio|muestra|mostra|temporada|festival|feria"
    r"|fira|curso|curs|jornada|congres|certamen|concierto|concert|ciclo|cicle|semana|setmana))"
)
INAUGURATION = (
    r"inaugur\w*" + _CULTURAL,
    r"primera piedra",
    r"(corte|cortar|cortamos) (de |la |de la )?cinta",
    r"puesta de largo",
)

# Discrediting other administrations (Ley 29/2005 art. 4.1.b): a public body, then within three
# words a verb of abandonment or blame; plus set phrases of blame.
_BODY = (
    r"(gobierno( central| de espana| del estado| autonomico| regional| anterior)?|ministerio|generalitat"
    r"|conselleria|consell|xunta|junta de \w+|diputacion|cabildo|comunidad autonoma|comunidad de madrid"
    r"|administracion (central|autonomica|del estado)|anterior equipo de gobierno|oposicion)"
)
_BLAME = (
    r"(abandon\w*|ignor\w*|margin(a|an|ando)|ningune\w*|olvid(a|an|ando|o)|castig(a|an|ando)|discrimin(a|an|ando)"
    r"|bloque(a|an|ando)|paraliz(a|an|ando)|incumpl\w*|mienten?|desprecia\w*|boicote\w*|sabote\w*"
    r"|nos (da|dan) la espalda|se burla\w*|no hace nada|no hacen nada)"
)
DISCREDIT = (
    _BODY + r"(?:\s+[\w']+){0,3}?\s+" + _BLAME,
    r"(abandono|olvido|desprecio|ninguneo|bloqueo|desidia) (del |de la |de )?" + _BODY,
    r"por culpa (del|de la) (gobierno|generalitat|junta|xunta|diputacion|ministerio|consell|oposicion)",
    r"(nefasta|desastrosa|penosa|lamentable) gestion",
    r"incompetencia (del|de la)",
    r"herencia recibida",
    r"despilfarro (del|de la) anterior",
)

# A short list, on purpose: slurs and outdated terms a public body must not use (art. 4.1.c).
DISCRIMINATORY = (
    r"subnormal(es)?",
    r"retrasad[oa]s? mental(es)?",
    r"mongolic[oa]s?",
    r"minusvalid[oa]s?",
    r"sudacas?",
    r"panchit[oa]s?",
    r"maricon(es|a|as)?",
    r"tortilleras?",
    r"gitanadas?",
    r"menas",
    r"(inmigrantes|migrantes|extranjeros) ilegales",
    r"sexo debil",
)

# ELEC-5: what may still go out on reflection day and election day.
VOTING_LOGISTICS = (
    r"colegios? electoral(es)?",
    r"mesas? electoral(es)?",
    r"voto (por correo|accesible|anticipado)",
    r"horario de votacion",
    r"jornada electoral",
    r"censo electoral",
    r"papeletas?",
    r"urnas?",
    r"(puedes|podeis|puede|para) votar",
    r"donde votar",
    r"escrutinio",
    r"locales? electoral(es)?",
)
EMERGENCY = (
    r"alerta (roja|naranja|amarilla)",
    r"emergencias?",
    r"112",
    r"evacua\w*",
    r"desalojo",
    r"confinamiento",
    r"incendios? forestal(es)?",
    r"inundaci\w*",
    r"riadas?",
    r"dana",
    r"aviso (urgente|importante)",
    r"proteccion civil",
    r"ola de calor",
    r"corte de (agua|suministro)",
    r"no (salgan|salgais|salgas)",
    r"carreteras? cortadas?",
)
