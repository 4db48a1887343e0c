/**
 * The pictures the screens draw, as SVG paths on a 24×24 grid (stroked in the text colour), so they look
 * the same on every phone: emoji depend on a font that kiosks and some Android builds do not have.
 */

export const drinkIcons = {
	coffee: "M4 9h12v5a5 5 0 0 1-5 5H9a5 5 0 0 1-5-5zM16 10h1.5a2.5 2.5 0 0 1 0 5H16M8 3c-1 1 1 2 0 3M12 3c-1 1 1 2 0 3",
	espresso: "M5 11h10v2a4 4 0 0 1-4 4H9a4 4 0 0 1-4-4zM15 12h1a2 2 0 0 1 0 4h-1.5M3 20h16M10 5c-1 1 1 2 0 3",
	latte: "M7 3h10l-1.5 18h-7zM7.6 10h8.8M8.1 14h7.8",
	mocha:
		"M5 8h11v8a4 4 0 0 1-4 4H9a4 4 0 0 1-4-4zM16 10h1.5a2.5 2.5 0 0 1 0 5H16M5 8c1-2.5 3-2.5 4-1s3 1.5 4-.5 2.5-1 3 1.5",
	tea: "M4 10h13v3a5 5 0 0 1-5 5H9a5 5 0 0 1-5-5zM17 11h1a2 2 0 0 1 0 4h-1.5M10 10V5l3-2M12 3h3v3h-3zM3 21h16",
	cold: "M6 6h12l-1.5 15h-9zM13 6l2-4h3M9 11h3v3H9zM12.5 14.5h3v3h-3z",
} as const;
export type DrinkIcon = keyof typeof drinkIcons;

export const uiIcons = {
	language:
		"M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM3 12h18M12 3c2.5 2.5 3.5 5.5 3.5 9s-1 6.5-3.5 9c-2.5-2.5-3.5-5.5-3.5-9s1-6.5 3.5-9z",
} as const;

export type IconName = DrinkIcon | keyof typeof uiIcons;
export const iconPaths: Record<IconName, string> = { ...drinkIcons, ...uiIcons };

/** Menus made before the icons were drawn hold emoji: they keep their picture. */
const fromEmoji: Record<string, DrinkIcon> = {
	"☕": "coffee",
	"🥛": "latte",
	"🍫": "mocha",
	"🍵": "tea",
	"🧋": "cold",
	"🧊": "cold",
	"🥤": "cold",
};

/** The picture for a drink's `icon` in the menu: one of `drinkIcons` by name, an old emoji, or a cup. */
export function drinkIcon(icon: string | undefined): DrinkIcon {
	if (icon && icon in drinkIcons) return icon as DrinkIcon;
	return (icon && fromEmoji[icon]) || "coffee";
}
