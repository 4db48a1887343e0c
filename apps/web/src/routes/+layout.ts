// Every screen renders in the browser from the API and the live sockets; the server only ships files.
export const ssr = false;
export const prerender = true;
