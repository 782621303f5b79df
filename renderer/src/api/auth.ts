/**
 * In-memory authentication state shared by the client and the session bootstrap. The token never
 * goes to localStorage or the URL: a reload in browser mode falls back to the HttpOnly cookie.
 */
import { ref } from 'vue';

let apiToken: string | null = null;

export function setApiToken(token: string | null): void {
  apiToken = token;
}

export function getApiToken(): string | null {
  return apiToken;
}

/**
 * Set when the server answers 401: neither the token nor the cookie is valid any more (the server
 * restarted with a new token, or the page was opened without the link). The shell then replaces
 * everything with a page explaining how to get back in.
 */
export const sessionLost = ref(false);
