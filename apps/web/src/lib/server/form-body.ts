import { error } from '@sveltejs/kit';

/**
 * A body that claims to be a form but is not one (multipart without a valid
 * boundary, a broken part) makes `request.formData()` throw a TypeError,
 * which a form action would answer with 500. Every action reads its form
 * through this request method, so it is wrapped once here: such a body is
 * the client's fault, a 400.
 */
export function formDataOr400(request: Request): void {
  const read = request.formData.bind(request);
  Object.defineProperty(request, 'formData', {
    configurable: true,
    value: async () => {
      try {
        return await read();
      } catch (err) {
        if (err instanceof TypeError) error(400, 'The form data could not be read');
        throw err;
      }
    },
  });
}
