/**
 * Saves generated text as a file through a Blob download (a save dialog in Electron, the
 * downloads bar in a browser). Nothing leaves the machine.
 */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The download has started by now; the URL only keeps the Blob in memory.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
