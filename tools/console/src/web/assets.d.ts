// Stylesheets are imported for their side effect; the bundler (vite) puts them in the page.
declare module '*.css';
