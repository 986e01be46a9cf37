/** Where Ollama listens out of the box (its own module: reading it must not load the Ollama SDK). */
export const ollamaDefaultBaseUrl = 'http://127.0.0.1:11434';
