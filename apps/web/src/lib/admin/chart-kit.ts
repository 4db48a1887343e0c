import {
	BarController,
	BarElement,
	CategoryScale,
	Chart,
	Legend,
	LinearScale,
	LineController,
	LineElement,
	PointElement,
	Tooltip,
} from "chart.js";

/**
 * Chart.js with only the pieces the analytics charts use (bars, lines, their scales, legend and tooltips),
 * so the rest is left out of the build. Only the admin screen imports this module, and only when it shows
 * charts: nobody else downloads it.
 */
Chart.register(
	BarController,
	BarElement,
	LineController,
	LineElement,
	PointElement,
	CategoryScale,
	LinearScale,
	Legend,
	Tooltip,
);

// The page's text colour and font, so labels keep the page's contrast.
Chart.defaults.color = "#1c130d";
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif';
Chart.defaults.font.size = 13;
Chart.defaults.maintainAspectRatio = false;
if (matchMedia("(prefers-reduced-motion: reduce)").matches) Chart.defaults.animation = false;

export { Chart };
