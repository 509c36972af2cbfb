"""Documents in, finished plans out: files, directories and stdin in every form AWS tools save,
pages merged, nested change sets linked, templates read and bound (``load.load``)."""
