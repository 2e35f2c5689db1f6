/** One GraphQL POST, its status and body text as received. */
export async function post(url: string, body: string, token?: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: response.status, text: await response.text() };
}
