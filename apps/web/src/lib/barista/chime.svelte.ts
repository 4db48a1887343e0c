/**
 * The new-order chime, drawn with WebAudio (no sound file to fetch). Browsers let a page make sound only
 * after a tap, so it starts muted and the barista turns it on; turning it on plays it once, as a check.
 */
export class Chime {
	enabled = $state(false);
	#context: AudioContext | null = null;

	async enable(): Promise<void> {
		this.#context ??= new AudioContext();
		await this.#context.resume();
		this.enabled = true;
		this.play();
	}

	disable(): void {
		this.enabled = false;
	}

	/** Two short rising notes, loud enough over a steam wand, soft at the edges so they do not click. */
	play(): void {
		const context = this.#context;
		if (!this.enabled || !context) return;
		const start = context.currentTime;
		[880, 1320].forEach((frequency, i) => {
			const at = start + i * 0.18;
			const tone = context.createOscillator();
			const volume = context.createGain();
			tone.frequency.value = frequency;
			volume.gain.setValueAtTime(0.0001, at);
			volume.gain.exponentialRampToValueAtTime(0.5, at + 0.02);
			volume.gain.exponentialRampToValueAtTime(0.0001, at + 0.45);
			tone.connect(volume).connect(context.destination);
			tone.start(at);
			tone.stop(at + 0.5);
		});
	}
}
