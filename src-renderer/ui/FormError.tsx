export interface FormErrorProps {
  message: string | null;
  id?: string;
}

/** The inline error under a form, straight from the envelope's `error.message`. */
export function FormError({ message, id }: FormErrorProps) {
  if (message === null) return null;
  return (
    <p className="form-error" role="alert" data-testid="form-error" id={id}>
      {message}
    </p>
  );
}
