/** Constant-time comparison of two equal-length strings: the Worker checks tokens with it, the store its PINs. */
export function sameSecret(a: string, b: string): boolean {
	const x = new TextEncoder().encode(a);
	const y = new TextEncoder().encode(b);
	if (x.length !== y.length) return false;
	return crypto.subtle.timingSafeEqual(x, y);
}
