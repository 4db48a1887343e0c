/** A menu or store id made from a name ("Flat White" → "flat-white"), in the API's id alphabet, unique among `taken`. */
export function slugFrom(name: string, taken: Iterable<string> = []): string {
	const base =
		name
			.normalize("NFKD")
			.replace(/[\u0300-\u036f]/g, "")
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, "-")
			.replace(/^-+|-+$/g, "")
			.slice(0, 34) || "item";
	const used = new Set(taken);
	let id = base;
	for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
	return id;
}
