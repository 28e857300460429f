/** The app's one <audio> element (AudioEngine registers it), for features that steer playback finely (party sync). */
let element: HTMLAudioElement | null = null;

export function registerAudioElement(audio: HTMLAudioElement | null): void {
  element = audio;
}

export function audioElement(): HTMLAudioElement | null {
  return element;
}
