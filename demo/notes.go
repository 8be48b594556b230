package demo

// Notes agents write: one short line, in the agent's language. Norwegian
// teams write bokmål (nb), the Swedish team Swedish (sv). None of them holds
// anything personal, so masking has nothing to do on demo data.

// notes is a pair of note lists, one per language.
type notes struct{ nb, sv []string }

func (n notes) in(lang string) []string {
	if lang == "sv" {
		return n.sv
	}
	return n.nb
}

// catchAllNotes are what agents write on a category's "other" reason, keyed
// by category id; reasonless categories use genericCatchAll.
var catchAllNotes = map[string]notes{
	"before_purchase": {
		nb: []string{"spør om gavekort kan brukes på nett", "lurte på åpningstider i romjulen", "vil vite om vi har butikk i Tromsø", "spør om studentrabatt", "spørsmål om bytte av gave før kjøp"},
		sv: []string{"frågar om presentkort gäller på webben", "undrar över öppettider i mellandagarna", "vill veta om vi har butik i Umeå", "frågar om studentrabatt"},
	},
	"order": {
		nb: []string{"vil legge til gaveinnpakning", "ordrebekreftelse kom ikke på e-post", "spør om delbetaling på ordre", "to like ordre – usikker på hvilken som gjelder"},
		sv: []string{"vill lägga till presentinslagning", "orderbekräftelsen kom inte på mejl", "frågar om delbetalning", "två likadana ordrar – osäker på vilken som gäller"},
	},
	"delivery": {
		nb: []string{"vil hente selv i stedet for levering", "hentekode virker ikke i pakkeautomat", "spør om levering til hytta", "sjåfør ringte fra ukjent nummer"},
		sv: []string{"vill hämta själv i stället för leverans", "hämtkoden fungerar inte i paketboxen", "frågar om leverans till sommarstugan", "chauffören ringde från okänt nummer"},
	},
	"product_use": {
		nb: []string{"spør om reservedeler til eldre modell", "bruksanvisning bare på engelsk", "app krever ny innlogging hver dag", "lurer på om produktet tåler frost"},
		sv: []string{"frågar om reservdelar till äldre modell", "bruksanvisningen finns bara på engelska", "appen kräver ny inloggning varje dag", "undrar om produkten tål frost"},
	},
	"return_claim": {
		nb: []string{"vil returnere i butikk, kjøpt på nett", "returlapp mangler i pakken", "spør om retur av gave uten kvittering"},
		sv: []string{"vill returnera i butik, köpt på webben", "retursedel saknas i paketet", "frågar om retur av present utan kvitto"},
	},
	"price_billing": {
		nb: []string{"vil ha faktura på papir", "spør om EHF-faktura til firma", "vil endre forfallsdato", "lurer på gebyr for papirfaktura"},
		sv: []string{"vill ha faktura på papper", "frågar om e-faktura till företaget", "vill ändra förfallodag", "undrar över avgift för pappersfaktura"},
	},
	"account": {
		nb: []string{"dødsbo – vil overføre avtale", "vil reservere seg mot reklame", "spør om innsyn i egne data", "vil slå sammen to kundeforhold"},
		sv: []string{"dödsbo – vill flytta över avtal", "vill spärra reklam", "begär registerutdrag", "vill slå ihop två kundkonton"},
	},
	"service": {
		nb: []string{"ville snakke med samme rådgiver som sist", "spør om chat er åpen i helgen", "fikk SMS om sak han ikke kjenner til"},
		sv: []string{"ville prata med samma handläggare som sist", "frågar om chatten är öppen i helgen", "fick sms om ärende hon inte känner till"},
	},
	"feedback": {
		nb: []string{"tips om skrivefeil på nettsiden", "ønsker flere betalingsmåter", "ros til butikken på Storo, men usikker på hvem"},
		sv: []string{"tips om stavfel på webbsidan", "önskar fler betalsätt", "beröm till butiken i Nordstan"},
	},
}

var genericCatchAll = notes{
	nb: []string{"spørsmål som ikke passer noen årsak", "kunden ringte feil avdeling", "ville bare bekrefte at saken er mottatt", "spør om noe vi ikke har i listen"},
	sv: []string{"fråga som inte passar någon orsak", "kunden ringde fel avdelning", "ville bara bekräfta att ärendet tagits emot", "frågar om något vi inte har i listan"},
}

// praiseNotes are the notes on praise and suggestion reasons, keyed by
// reason id; any other value reason uses genericPraise.
var praiseNotes = map[string]notes{
	"praise_service": {
		nb: []string{"takk for rask hjelp forrige uke", "fornøyd med at saken ble løst på første forsøk", "ros til Ingrid for god oppfølging", "syntes chatten var rask og grei"},
		sv: []string{"tack för snabb hjälp förra veckan", "nöjd med att ärendet löstes direkt", "beröm till Astrid för bra uppföljning", "tyckte chatten var snabb och smidig"},
	},
	"praise_product": {
		nb: []string{"veldig fornøyd med varmepumpen", "appen er blitt mye bedre", "kvaliteten er bedre enn forventet"},
		sv: []string{"mycket nöjd med värmepumpen", "appen har blivit mycket bättre", "kvaliteten är bättre än väntat"},
	},
	"praise_delivery": {
		nb: []string{"sjåføren bar varen helt inn", "montøren ryddet etter seg", "levert dagen før lovet"},
		sv: []string{"chauffören bar in varan hela vägen", "montören städade efter sig", "levererat dagen före utlovat"},
	},
	"praise_store": {
		nb: []string{"god hjelp av selger i butikken", "butikken tok imot retur uten mas"},
		sv: []string{"bra hjälp av säljaren i butiken", "butiken tog emot retur utan krångel"},
	},
	"suggestion": {
		nb: []string{"ønsker SMS når pakken er på vei", "vil kunne endre leveringsdag selv på nett", "foreslår faktura i appen", "ønsker kveldsåpent på telefon"},
		sv: []string{"vill ha sms när paketet är på väg", "vill kunna ändra leveransdag själv på webben", "föreslår faktura i appen", "önskar kvällsöppet i telefon"},
	},
}

var genericPraise = notes{
	nb: []string{"fornøyd kunde", "ville bare si takk", "positiv tilbakemelding"},
	sv: []string{"nöjd kund", "ville bara säga tack", "positiv återkoppling"},
}

// everydayNotes are the notes agents sometimes add to any other contact.
var everydayNotes = notes{
	nb: []string{"ringer tilbake i morgen", "sendt lenke på SMS", "kunden var irritert", "sak opprettet", "sendt e-post med bekreftelse", "henvist til nettsiden", "avtalt ny tid"},
	sv: []string{"ringer tillbaka i morgon", "skickat länk på sms", "kunden var irriterad", "ärende skapat", "skickat mejl med bekräftelse", "hänvisat till webbsidan", "bokat ny tid"},
}
