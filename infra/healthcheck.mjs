// Container healthcheck of every Simpul process (the image has no curl): GET /readyz on this
// container's PORT; healthy on 200. Prints the process's reason when it is not ready.
const port = process.env.PORT ?? '4000';
try {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(4000) });
  const body = await response.text();
  if (!response.ok) console.error(body.slice(0, 500));
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(String(error));
  process.exit(1);
}
